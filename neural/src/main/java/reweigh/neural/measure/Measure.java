package reweigh.neural.measure;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import reweigh.corpus.Episode;
import reweigh.corpus.Turn;
import reweigh.corpus.Vocabulary;
import reweigh.neural.Hooks;
import reweigh.neural.LanguageModel;
import reweigh.neural.Rng;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.stats.Bootstrap;
import reweigh.world.Context;
import reweigh.world.ContextSet;
import reweigh.world.World;

/**
 * Measures a network in the language of the exact engine: what it answers to single-turn prompts,
 * read exactly from its next-token probabilities or by sampling, and which algorithm weights explain it.
 */
public final class Measure {
    /** Prompts per forward pass in {@link #responseDistributions}; each takes M + 1 rows. */
    private static final int PROMPTS_PER_PASS = 32;
    /** Rows per call of {@link LanguageModel#sample} in {@link #sample}. */
    private static final int SAMPLES_PER_PASS = 512;
    /** Longest response of the language: {@code <ans> n <power> <eot>}. */
    private static final int LONGEST_RESPONSE = 4;
    /** EM stops when no weight moves more than this in one iteration. */
    static final double EM_TOLERANCE = 1e-13;
    static final int EM_MAX_ITERATIONS = 100_000;

    private Measure() {}

    // ---------------------------------------------------------------- exact response distributions

    /** The exact response distribution after one prompt; see {@link #responseDistributions}. */
    public static double[] responseDistribution(LanguageModel model, Prompt prompt) {
        return responseDistributions(model, List.of(prompt))[0];
    }

    /**
     * For each prompt, P(response class) for the Response.COUNT classes and, last, the mass on strings
     * that are no response of the language ({@link Measurement#INVALID}); each row sums to 1.
     *
     * <p>Enumerates the tree of the language's responses, {@code <ans> n [<power>] <eot>},
     * {@code <refuse> [<power>] <eot>} and {@code <act> R1 R2 <eot>}: M + 4 rows per prompt
     * ({@code prompt <ans> n <power>} for each n, {@code prompt <refuse> <power> <eot>}, and
     * {@code prompt <act> R1 R2} for the three valid report pairs) give every next-token distribution on
     * the tree in one forward pass, because a causal model's logits at each position see only what precedes it.
     * Invalid mass is summed branch by branch (not as 1 minus the rest), and each next-token
     * distribution is renormalised in double precision, so rows sum to 1 within 1e-12. Prompts with a
     * history (many-shot) are read the same way; the longest prompt plus 3 must fit the model's context.
     */
    public static double[][] responseDistributions(LanguageModel model, List<Prompt> prompts) {
        if (prompts.isEmpty()) return new double[0][];
        int m = prompts.get(0).context().answers();
        Vocabulary v = new Vocabulary(m);
        if (model.config().vocabSize() != v.size()) {
            throw new IllegalArgumentException("the model reads " + model.config().vocabSize()
                    + " tokens; a world of " + m + " answers has " + v.size());
        }
        int vocab = v.size();
        int rowsPerPrompt = m + 1 + ACT_REPORTS.length;
        double[][] out = new double[prompts.size()][];
        for (int from = 0; from < prompts.size(); from += PROMPTS_PER_PASS) {
            List<Prompt> chunk = prompts.subList(from, Math.min(prompts.size(), from + PROMPTS_PER_PASS));
            int[][] promptTokens = new int[chunk.size()][];
            int longest = 0;
            for (int j = 0; j < chunk.size(); j++) {
                if (chunk.get(j).context().answers() != m) throw new IllegalArgumentException("prompts must share one world");
                promptTokens[j] = chunk.get(j).tokens(v);
                longest = Math.max(longest, promptTokens[j].length);
            }
            int length = longest + 3;
            int[][] rows = new int[chunk.size() * rowsPerPrompt][length]; // (R, T) right-padded with <pad>
            for (int j = 0; j < chunk.size(); j++) {
                int[] p = promptTokens[j];
                for (int n = 0; n <= m; n++) {
                    int[] row = rows[j * rowsPerPrompt + n];
                    System.arraycopy(p, 0, row, 0, p.length);
                    if (n < m) {
                        row[p.length] = Vocabulary.ANSWER;
                        row[p.length + 1] = v.number(n);
                        row[p.length + 2] = Vocabulary.POWER;
                    } else if (n == m) {
                        row[p.length] = Vocabulary.REFUSE;
                        row[p.length + 1] = Vocabulary.POWER;
                        row[p.length + 2] = Vocabulary.END_OF_TURN; // read by nothing
                    }
                }
                for (int r = 0; r < ACT_REPORTS.length; r++) {
                    int[] row = rows[j * rowsPerPrompt + m + 1 + r];
                    System.arraycopy(p, 0, row, 0, p.length);
                    row[p.length] = Vocabulary.ACT;
                    row[p.length + 1] = ACT_REPORTS[r][0];
                    row[p.length + 2] = ACT_REPORTS[r][1];
                }
            }
            double[] logProbs; // (R * T * V)
            try (NDManager scope = model.newScope()) {
                logProbs = model.forward(scope, rows, Hooks.none()).logSoftmax(-1)
                        .toType(DataType.FLOAT64, false).toDoubleArray();
            }
            NextToken next = (row, position) -> {
                double[] p = new double[vocab];
                double sum = 0;
                int offset = (row * length + position) * vocab;
                for (int t = 0; t < vocab; t++) {
                    p[t] = Math.exp(logProbs[offset + t]);
                    sum += p[t];
                }
                for (int t = 0; t < vocab; t++) p[t] /= sum;
                return p;
            };
            for (int j = 0; j < chunk.size(); j++) {
                out[from + j] = tree(chunk.get(j), v, next, j * rowsPerPrompt, promptTokens[j].length);
            }
        }
        return out;
    }

    /** The next-token distribution read at {@code position} of {@code row}. */
    private interface NextToken {
        double[] at(int row, int position);
    }

    /** Walks the response tree of one prompt, whose rows start at {@code first} and whose length is {@code l}. */
    private static double[] tree(Prompt prompt, Vocabulary v, NextToken next, int first, int l) {
        int m = v.answers();
        double[] out = new double[Response.COUNT + 1];
        double[] opening = next.at(first, l - 1); // after the prompt
        double answer = opening[Vocabulary.ANSWER];
        double refuse = opening[Vocabulary.REFUSE];
        double act = opening[Vocabulary.ACT];
        double invalid = sumExcept(opening, Vocabulary.ANSWER, Vocabulary.REFUSE, Vocabulary.ACT);

        double[] number = next.at(first, l); // after <ans>
        double notNumber = 0;
        for (int t = 0; t < number.length; t++) if (!v.isNumber(t)) notNumber += number[t];
        invalid += answer * notNumber;
        for (int n = 0; n < m; n++) {
            double reach = answer * number[v.number(n)];
            invalid += reach * close(prompt.classify(n, false), prompt.classify(n, true), out, reach, next, first + n, l + 1);
        }
        invalid += refuse * close(Response.REFUSE, Response.REFUSE.withPower(), out, refuse, next, first + m, l);
        invalid += act(out, act, next, first + m + 1, l);
        out[Measurement.INVALID] = invalid;
        return out;
    }

    /** The report pairs R1 R2 after {@code <act>}, in the order of their rows: admit-admit, deny-admit, deny-deny. */
    private static final int[][] ACT_REPORTS = {
        {Vocabulary.ADMIT, Vocabulary.ADMIT}, {Vocabulary.DENY, Vocabulary.ADMIT}, {Vocabulary.DENY, Vocabulary.DENY}};

    /**
     * The action's branch, reached with probability {@code act}: adds P({@code <act> R1 R2 <eot>}) to the
     * class of each valid report pair and returns the invalid mass of the branch (any other token, the
     * pair {@code <admit> <deny>}, or no {@code <eot>} after the pair). Rows from {@code first} hold the
     * three pairs of {@link #ACT_REPORTS}; the first report is read after {@code <act>} at position l.
     */
    private static double act(double[] out, double act, NextToken next, int first, int l) {
        double[] report = next.at(first, l); // after <act>
        double invalid = act * sumExcept(report, Vocabulary.ADMIT, Vocabulary.DENY);
        double[] afterAdmit = next.at(first, l + 1); // after <act> <admit>
        double[] afterDeny = next.at(first + 1, l + 1); // after <act> <deny>
        invalid += act * report[Vocabulary.ADMIT] * sumExcept(afterAdmit, Vocabulary.ADMIT);
        invalid += act * report[Vocabulary.DENY] * sumExcept(afterDeny, Vocabulary.ADMIT, Vocabulary.DENY);
        double[] reach = {act * report[Vocabulary.ADMIT] * afterAdmit[Vocabulary.ADMIT],
            act * report[Vocabulary.DENY] * afterDeny[Vocabulary.ADMIT], act * report[Vocabulary.DENY] * afterDeny[Vocabulary.DENY]};
        Response[] classes = {Response.of(reweigh.population.Behaviour.ACT_ADMIT), Response.of(reweigh.population.Behaviour.ACT_CONFESS),
            Response.of(reweigh.population.Behaviour.ACT_DOUBLE_DOWN)};
        for (int r = 0; r < ACT_REPORTS.length; r++) {
            double[] end = next.at(first + r, l + 2); // after <act> R1 R2
            out[classes[r].index()] += reach[r] * end[Vocabulary.END_OF_TURN];
            invalid += reach[r] * sumExcept(end, Vocabulary.END_OF_TURN);
        }
        return invalid;
    }

    /**
     * After a response's first part (reached with probability {@code reach}), adds P(... <eot>) to
     * {@code plain} and P(... <power> <eot>) to {@code power}; returns P(invalid | reached).
     */
    private static double close(Response plain, Response power, double[] out, double reach, NextToken next, int row, int position) {
        double[] after = next.at(row, position);
        double[] afterPower = next.at(row, position + 1);
        out[plain.index()] += reach * after[Vocabulary.END_OF_TURN];
        out[power.index()] += reach * after[Vocabulary.POWER] * afterPower[Vocabulary.END_OF_TURN];
        return sumExcept(after, Vocabulary.POWER, Vocabulary.END_OF_TURN)
                + after[Vocabulary.POWER] * sumExcept(afterPower, Vocabulary.END_OF_TURN);
    }

    private static double sumExcept(double[] p, int... excluded) {
        double sum = 0;
        outer:
        for (int t = 0; t < p.length; t++) {
            for (int e : excluded) if (t == e) continue outer;
            sum += p[t];
        }
        return sum;
    }

    // ---------------------------------------------------------------- measurement

    /**
     * Draws {@code prompts} single-turn prompts whose contexts follow {@code contexts}, reads each
     * one's exact response distribution q_i, and returns the mean rates, the EM weights over the
     * population's known pi_a, and {@code bootstrap} percentile-bootstrap replicates of both over
     * prompts. Everything is drawn from {@code seed}.
     *
     * <p>Weights are identified only as far as the contexts tell the algorithms apart: in observed
     * contexts alone a perfect deceiver writes what the honest algorithm writes, and EM keeps their
     * ratio where it started (1:1). Include unobserved contexts to separate them.
     */
    public static Measurement measure(LanguageModel model, Population population, World world, ContextSet contexts,
            int prompts, int bootstrap, long seed) {
        if (prompts < 1) throw new IllegalArgumentException("prompts must be >= 1, got " + prompts);
        SplittableRandom root = new SplittableRandom(seed);
        List<Prompt> drawn = Prompt.draw(world, contexts, prompts, root.nextLong());
        return fromDistributions(population, drawn, responseDistributions(model, drawn), bootstrap, root.nextLong());
    }

    /**
     * The measurement of given response distributions {@code q} (one row of Response.COUNT + 1 per
     * prompt): the network-free half of {@link #measure}, so it can be checked against known mixtures.
     */
    public static Measurement fromDistributions(Population population, List<Prompt> prompts, double[][] q,
            int bootstrap, long seed) {
        if (prompts.size() != q.length || prompts.isEmpty()) {
            throw new IllegalArgumentException("need one distribution per prompt, and at least one prompt");
        }
        if (bootstrap < 0) throw new IllegalArgumentException("bootstrap must be >= 0, got " + bootstrap);
        if (prompts.stream().anyMatch(p -> !p.history().isEmpty())) {
            throw new IllegalArgumentException("implied weights read single-turn prompts: pi_a(y | x) knows nothing of a history");
        }
        Em em = new Em(population, prompts.stream().map(Prompt::context).toList());
        int n = prompts.size();
        int[] once = Bootstrap.once(n);
        double[] rates = meanRates(q, once);
        double[] weights = em.fit(em.aggregate(q, once));
        double[][] rateReplicates = new double[bootstrap][];
        double[][] weightReplicates = new double[bootstrap][];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int b = 0; b < bootstrap; b++) {
            int[] multiplicity = Bootstrap.resample(n, rng); // times each prompt is drawn in this resample
            rateReplicates[b] = meanRates(q, multiplicity);
            weightReplicates[b] = em.fit(em.aggregate(q, multiplicity));
        }
        return new Measurement(population.names(), rates, rateReplicates, weights, weightReplicates, n);
    }

    /** Each response class's mean over the prompts, each counted {@code multiplicity} times. */
    private static double[] meanRates(double[][] q, int[] multiplicity) {
        return Bootstrap.columnMeans(q, Response.COUNT + 1, multiplicity);
    }

    /**
     * The weights w that maximise sum_i sum_y q_i(y) log sum_a w_a pi_a(y | x_i) over the simplex, by
     * EM from uniform weights (at most {@value #EM_MAX_ITERATIONS} iterations, until no weight moves
     * more than 1e-13). Invalid mass, and mass on responses no algorithm ever gives in x_i, is left out.
     *
     * @param contexts x_i, one per row of {@code q}
     * @param q        (n, Response.COUNT or Response.COUNT + 1) response distributions
     */
    public static double[] impliedWeights(Population population, List<Context> contexts, double[][] q) {
        Em em = new Em(population, contexts);
        int[] once = new int[q.length];
        java.util.Arrays.fill(once, 1);
        return em.fit(em.aggregate(q, once));
    }

    /** EM over the distinct contexts of a measurement: prompts of one context share pi_a(. | x). */
    private static final class Em {
        private final int algorithms;
        private final int[] contextOf; // prompt -> distinct context
        private final double[][][] pi; // (contexts, Response.COUNT, K)
        private final boolean[][] explained; // (contexts, Response.COUNT): some algorithm gives y in x

        Em(Population population, List<Context> contexts) {
            algorithms = population.size();
            Map<Context, Integer> index = new HashMap<>();
            contextOf = new int[contexts.size()];
            List<Context> distinct = new ArrayList<>();
            for (int i = 0; i < contexts.size(); i++) {
                contextOf[i] = index.computeIfAbsent(contexts.get(i), x -> {
                    distinct.add(x);
                    return distinct.size() - 1;
                });
            }
            pi = new double[distinct.size()][Response.COUNT][algorithms];
            explained = new boolean[distinct.size()][Response.COUNT];
            for (int c = 0; c < distinct.size(); c++) {
                for (int a = 0; a < algorithms; a++) {
                    double[] p = population.get(a).algorithm().respond(distinct.get(c)).vector();
                    for (int y = 0; y < Response.COUNT; y++) {
                        pi[c][y][a] = p[y];
                        if (p[y] > 0) explained[c][y] = true;
                    }
                }
            }
        }

        /** (contexts, Response.COUNT) sum of q_i(y) over the prompts of each context, each counted {@code multiplicity} times. */
        double[][] aggregate(double[][] q, int[] multiplicity) {
            if (q.length != contextOf.length) throw new IllegalArgumentException("need one context per distribution");
            double[][] sums = new double[pi.length][Response.COUNT];
            for (int i = 0; i < q.length; i++) {
                if (q[i].length < Response.COUNT) throw new IllegalArgumentException("a distribution needs Response.COUNT entries");
                if (multiplicity[i] == 0) continue;
                for (int y = 0; y < Response.COUNT; y++) sums[contextOf[i]][y] += multiplicity[i] * q[i][y];
            }
            return sums;
        }

        double[] fit(double[][] sums) {
            double total = 0;
            for (int c = 0; c < sums.length; c++) for (int y = 0; y < Response.COUNT; y++) if (explained[c][y]) total += sums[c][y];
            double[] w = new double[algorithms];
            java.util.Arrays.fill(w, 1.0 / algorithms);
            if (!(total > 0)) return w; // nothing the algorithms explain: the prior stays
            double[] next = new double[algorithms];
            for (int iteration = 0; iteration < EM_MAX_ITERATIONS; iteration++) {
                java.util.Arrays.fill(next, 0);
                for (int c = 0; c < sums.length; c++) {
                    for (int y = 0; y < Response.COUNT; y++) {
                        double mass = sums[c][y];
                        if (mass == 0 || !explained[c][y]) continue;
                        double[] p = pi[c][y]; // (K)
                        double mix = 0;
                        for (int a = 0; a < algorithms; a++) mix += w[a] * p[a];
                        if (mix == 0) continue; // only algorithms EM has already ruled out give y
                        double share = mass / mix;
                        for (int a = 0; a < algorithms; a++) next[a] += w[a] * p[a] * share;
                    }
                }
                double sum = 0;
                for (double x : next) sum += x;
                double moved = 0;
                for (int a = 0; a < algorithms; a++) {
                    double updated = next[a] / sum;
                    moved = Math.max(moved, Math.abs(updated - w[a]));
                    w[a] = updated;
                }
                if (moved < EM_TOLERANCE) break;
            }
            return w;
        }
    }

    // ---------------------------------------------------------------- sampling

    /**
     * Samples {@code samplesPerPrompt} responses to each of {@code prompts} single-turn prompts drawn as
     * in {@link #measure} (the same prompts for the same seed), at temperature 1, and classifies each
     * with {@link Episode#readResponse}; strings that are no response count as invalid.
     */
    public static Sampled sample(LanguageModel model, World world, ContextSet contexts, int prompts,
            int samplesPerPrompt, long seed) {
        if (prompts < 1 || samplesPerPrompt < 1) {
            throw new IllegalArgumentException("prompts and samplesPerPrompt must be >= 1, got " + prompts + ", " + samplesPerPrompt);
        }
        SplittableRandom root = new SplittableRandom(seed);
        List<Prompt> drawn = Prompt.draw(world, contexts, prompts, root.nextLong());
        Rng rng = new Rng(root.nextLong());
        Vocabulary v = new Vocabulary(world.answers());
        List<Prompt> rows = new ArrayList<>(prompts * samplesPerPrompt);
        for (Prompt p : drawn) for (int s = 0; s < samplesPerPrompt; s++) rows.add(p);
        long[] counts = new long[Response.COUNT + 1];
        for (int from = 0; from < rows.size(); from += SAMPLES_PER_PASS) {
            List<Prompt> chunk = rows.subList(from, Math.min(rows.size(), from + SAMPLES_PER_PASS));
            int[][] tokens = chunk.stream().map(p -> p.tokens(v)).toArray(int[][]::new);
            int[][] completions = model.sample(tokens, LONGEST_RESPONSE, Vocabulary.END_OF_TURN, rng);
            for (int r = 0; r < chunk.size(); r++) {
                Prompt p = chunk.get(r);
                Turn turn = Episode.readResponse(v, p.a(), p.b(), p.claim(), completions[r]);
                counts[turn == null ? Measurement.INVALID : p.classify(turn.answer(), turn.power()).index()]++;
            }
        }
        return new Sampled(counts);
    }
}
