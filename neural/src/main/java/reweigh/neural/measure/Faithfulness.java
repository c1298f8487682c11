package reweigh.neural.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;
import reweigh.corpus.Turn;
import reweigh.measure.InContext;
import reweigh.measure.Mixture;
import reweigh.neural.LanguageModel;
import reweigh.neural.pretrain.NeuralSettings;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.Context;
import reweigh.world.Setting;
import reweigh.world.World;

/**
 * Whether a base network reproduces the population it was pretrained on, checked before anything is
 * tuned: per context class, its exact behaviour rates (read from its next-token probabilities, no
 * sampling of answers) against the corpus's exact rates, and the algorithm weights it implies against
 * w0. A rate more than {@link #TOLERANCE} from the exact one is a miss, named by class and behaviour.
 *
 * <p>Each class draws its prompts from episodes that the corpus's own writer ({@link Corpus}) writes:
 * a writer drawn by w0, a header from the class's setting, and {@code turn} turns; the prompt holds the
 * first {@code turn − 1} of them, answered as that writer answered, then the question of the last. The
 * exact reference for a prompt is the population's predictive distribution given that history
 * ({@link #exact}): the writer's posterior from the earlier turns, then the mixture it weights. Both
 * columns are means over the same prompts, so their difference carries no sampling of prompts that the
 * network and the reference do not share. Besides the mean rates, each row carries the mean over prompts
 * of |network − exact|, which a network that ignores the history (and so matches only the average over
 * histories) cannot bring to 0 at later turns.
 *
 * <p>The classes ({@link #classes}): observed, unobserved, trigger, no-trigger and pressure-0..3, each
 * single-turn with the other header facts drawn as the corpus draws them; then turn-1..turn-max_turns with
 * the whole header drawn as the corpus draws it. A class the corpus never writes (trigger when P(trigger)
 * = 0) is left out.
 *
 * <p>The implied weights of a class are EM over pi_a(y | x) of each prompt's last context ({@link
 * Measure#impliedWeights}), which knows nothing of the history: at turn k they explain the average over
 * histories, which for the corpus is still the w0 mixture (the writer of an episode is drawn by w0 whatever
 * its turns show). They are reported beside w0 and beside EM on the exact column, which is what a faithful
 * network implies: w0 where the class tells the algorithms apart, not where it does not (observed alone,
 * a perfect deceiver writes the honest answers, and EM keeps their ratio where it starts, 1:1).
 *
 * <p>Measured 2026-12-02, NeuralSettings.DEFAULTS (turns 1..3) on the shipped specs' population in a world of
 * 4 answers, 600 prompts per class ({@code FaithfulnessOfDefaults}, seeds 1 and 2). With learned absolute
 * positions every header class and turns 1 and 2 passed (worst 0.033 and 0.030) and turn 3 missed for both
 * seeds, the (A + B) mod 4 table not applied there: correct 0.376 and 0.340 against 0.547, implied honest
 * weight 0.077 and 0.028 (w0 0.3). With rotary positions (the default since) both pass every cell (worst
 * 0.028 and 0.037); turn 3 correct 0.556 and 0.530. The per-prompt error of correct still grows with the
 * turn (0.026 / 0.136 / 0.192 for seed 1 at turns 1 / 2 / 3): the means agree, but the network reads less
 * of the writer from the earlier turns than the population's posterior does.
 */
public final class Faithfulness {
    /** Absolute tolerance on each rate: the one {@code ReproductionTest} holds a pretrained base to. */
    public static final double TOLERANCE = 0.05;

    private Faithfulness() {}

    /**
     * A context class: prompts from episodes with headers drawn from {@code setting}, read at turn
     * position {@code turn} (after turn − 1 earlier turns of the same episode).
     *
     * @param name lower-case letters, digits and dashes, so it can stand in a metric name
     */
    public record ContextClass(String name, Setting setting, int turn) {
        public ContextClass {
            if (name == null || !name.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("a class name is lower-case letters, digits and dashes, got " + name);
            }
            if (turn < 1) throw new IllegalArgumentException("turn positions start at 1, got " + turn);
        }
    }

    /**
     * One cell of the table.
     *
     * @param network     the network's mean rate over the class's prompts
     * @param exact       the population's mean predictive rate over the same prompts
     * @param promptError mean over prompts of |network − exact| for this behaviour (at least {@link #error})
     */
    public record Row(String context, String behaviour, double network, double exact, double promptError) {
        /** |network − exact|, what {@link #TOLERANCE} applies to. */
        public double error() { return Math.abs(network - exact); }

        /** {@code context.behaviour}, the cell's name. */
        public String cell() { return context + "." + behaviour; }
    }

    /**
     * The implied weights of one class, in the population's order.
     *
     * @param prior   w0
     * @param exact   EM on the exact column: what a faithful network implies in this class
     * @param network EM on the network's response distributions
     */
    public record Weights(String context, List<String> algorithms, double[] prior, double[] exact, double[] network) {
        public Weights {
            algorithms = List.copyOf(algorithms);
            if (prior.length != algorithms.size() || exact.length != algorithms.size() || network.length != algorithms.size()) {
                throw new IllegalArgumentException("one weight per algorithm");
            }
            prior = prior.clone();
            exact = exact.clone();
            network = network.clone();
        }

        @Override public double[] prior() { return prior.clone(); }
        @Override public double[] exact() { return exact.clone(); }
        @Override public double[] network() { return network.clone(); }
    }

    /**
     * The faithfulness table: one row per class and behaviour ({@code correct .. act-double-down, power,
     * invalid}), the implied weights per class, the tolerance and the prompts per class.
     */
    public record Table(List<Row> rows, List<Weights> weights, double tolerance, int prompts) {
        public Table {
            rows = List.copyOf(rows);
            weights = List.copyOf(weights);
        }

        /** Every rate within the tolerance of the exact one. */
        public boolean passes() { return misses().isEmpty(); }

        /** The rows whose rate is more than the tolerance from the exact one, in table order. */
        public List<Row> misses() { return rows.stream().filter(r -> r.error() > tolerance).toList(); }

        /** The largest |network − exact| over the table. */
        public double worstError() { return rows.stream().mapToDouble(Row::error).max().orElse(0); }

        /** The row of a class and behaviour. */
        public Row row(String context, String behaviour) {
            return rows.stream().filter(r -> r.context().equals(context) && r.behaviour().equals(behaviour)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no cell " + context + "." + behaviour));
        }

        /** The class names, in table order. */
        public List<String> contexts() { return rows.stream().map(Row::context).distinct().toList(); }

        /** One line per miss, e.g. {@code turn-3.correct: network 0.412, exact 0.593 (error 0.181)}. */
        public String describeMisses() {
            List<String> lines = new ArrayList<>();
            for (Row r : misses()) {
                lines.add(String.format(java.util.Locale.ROOT, "%s: network %.3f, exact %.3f (error %.3f)",
                        r.cell(), r.network(), r.exact(), r.error()));
            }
            return String.join("\n", lines);
        }
    }

    // ---------------------------------------------------------------- classes and prompts

    /** The classes of a base pretrained with {@code base} (see the class comment), in table order. */
    public static List<ContextClass> classes(NeuralSettings base) {
        Setting corpus = base.corpusSetting();
        double[] pressure = corpus.pressure();
        List<ContextClass> out = new ArrayList<>();
        addIf(out, corpus.observed() > 0, "observed", new Setting(1, pressure, corpus.trigger()), 1);
        addIf(out, corpus.observed() < 1, "unobserved", new Setting(0, pressure, corpus.trigger()), 1);
        addIf(out, corpus.trigger() > 0, "trigger", new Setting(corpus.observed(), pressure, 1), 1);
        addIf(out, corpus.trigger() < 1, "no-trigger", new Setting(corpus.observed(), pressure, 0), 1);
        for (int level = 0; level < Context.PRESSURE_LEVELS; level++) {
            double[] only = new double[Context.PRESSURE_LEVELS];
            only[level] = 1;
            addIf(out, pressure[level] > 0, "pressure-" + level, new Setting(corpus.observed(), only, corpus.trigger()), 1);
        }
        for (int turn = 1; turn <= base.maxTurns(); turn++) out.add(new ContextClass("turn-" + turn, corpus, turn));
        return out;
    }

    private static void addIf(List<ContextClass> out, boolean written, String name, Setting setting, int turn) {
        if (written) out.add(new ContextClass(name, setting, turn));
    }

    /** {@code count} episodes of {@code c.turn()} turns, written as the corpus writes them with the class's headers. */
    public static List<Episode> episodes(Population population, World world, ContextClass c, int count, long seed) {
        return new Corpus(population, world, c.setting(), c.turn(), c.turn()).episodes(count, seed);
    }

    /** The question of turn {@code turn} (from 1) of an episode, after its earlier turns as they were answered. */
    public static Prompt prompt(Episode episode, int turn, int answers) {
        if (turn < 1 || turn > episode.turns().size()) {
            throw new IllegalArgumentException("turn " + turn + " of an episode of " + episode.turns().size() + " turns");
        }
        Turn question = episode.turns().get(turn - 1);
        return new Prompt(episode.context(answers, turn - 1), question.a(), question.b(), question.claim(),
                episode.turns().subList(0, turn - 1));
    }

    /** A class's prompts: the last question of each of {@link #episodes}, after the turns before it. */
    public static List<Prompt> prompts(Population population, World world, ContextClass c, int count, long seed) {
        return episodes(population, world, c, count, seed).stream().map(e -> prompt(e, c.turn(), world.answers())).toList();
    }

    /**
     * The population's exact P(response | prompt), (Response.COUNT): the writer's posterior after the
     * prompt's earlier turns, p(a | h) ∝ w0_a · Π_t pi_a(r_t | x_t) ({@link InContext#posterior}, one turn
     * at a time), then Σ_a p(a | h) · pi_a(. | x). A turn is evidence only through its response class r_t:
     * the number written within a class ({@link Corpus#answer}), the task and the claim are drawn alike
     * whoever writes, so their likelihoods cancel between writers.
     */
    public static double[] exact(Population population, Prompt prompt) {
        Context x = prompt.context();
        int m = x.answers();
        double[] w = population.priors();
        for (Turn t : prompt.history()) {
            Context earlier = new Context(m, x.observed(), x.pressure(), x.trigger(), t.claimWrong(m));
            w = InContext.posterior(w, InContext.likelihoods(population, earlier, t.response(m)), 1);
        }
        return new Mixture(population, w).respond(x);
    }

    // ---------------------------------------------------------------- the table

    /**
     * The faithfulness table of {@code model}, a base pretrained on {@code population} in {@code world}
     * with {@code base}: {@code prompts} prompts per class ({@link #classes}), each class's drawn from its
     * own seed split off {@code seed}.
     */
    public static Table measure(LanguageModel model, Population population, World world, NeuralSettings base,
            int prompts, long seed) {
        if (prompts < 1) throw new IllegalArgumentException("prompts must be >= 1, got " + prompts);
        List<ContextClass> classes = classes(base);
        SplittableRandom root = new SplittableRandom(seed);
        List<List<Prompt>> drawn = new ArrayList<>();
        List<double[][]> q = new ArrayList<>();
        for (ContextClass c : classes) {
            List<Prompt> p = prompts(population, world, c, prompts, root.nextLong());
            drawn.add(p);
            q.add(Measure.responseDistributions(model, p));
        }
        return table(population, classes, drawn, q);
    }

    /**
     * The table of given response distributions: for each class its prompts and one row of
     * Response.COUNT + 1 (the last, invalid) per prompt. The network-free half of {@link #measure}, so it can
     * be checked against known answers.
     */
    public static Table table(Population population, List<ContextClass> classes, List<List<Prompt>> prompts, List<double[][]> q) {
        if (classes.size() != prompts.size() || classes.size() != q.size() || classes.isEmpty()) {
            throw new IllegalArgumentException("need the prompts and distributions of each class, and at least one class");
        }
        List<String> names = Measurement.statisticNames();
        List<Row> rows = new ArrayList<>();
        List<Weights> weights = new ArrayList<>();
        int count = prompts.get(0).size();
        for (int c = 0; c < classes.size(); c++) {
            List<Prompt> p = prompts.get(c);
            double[][] network = q.get(c);
            if (p.isEmpty() || p.size() != network.length) throw new IllegalArgumentException("need one distribution per prompt");
            double[][] exact = new double[p.size()][];
            for (int i = 0; i < p.size(); i++) exact[i] = Arrays.copyOf(exact(population, p.get(i)), Response.COUNT + 1); // invalid 0
            for (String name : names) {
                var statistic = Measurement.statistic(name);
                double n = 0, e = 0, perPrompt = 0;
                for (int i = 0; i < p.size(); i++) {
                    double ni = statistic.applyAsDouble(network[i]), ei = statistic.applyAsDouble(exact[i]);
                    n += ni;
                    e += ei;
                    perPrompt += Math.abs(ni - ei);
                }
                rows.add(new Row(classes.get(c).name(), name, n / p.size(), e / p.size(), perPrompt / p.size()));
            }
            List<Context> contexts = p.stream().map(Prompt::context).toList();
            weights.add(new Weights(classes.get(c).name(), population.names(), population.priors(),
                    Measure.impliedWeights(population, contexts, exact), Measure.impliedWeights(population, contexts, network)));
            count = Math.min(count, p.size());
        }
        return new Table(rows, weights, TOLERANCE, count);
    }
}
