package reweigh.neural.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import reweigh.corpus.Corpus;
import reweigh.evaluate.Evaluator;
import reweigh.finetune.KlEstimator;
import reweigh.neural.AdamW;
import reweigh.neural.LanguageModel;
import reweigh.neural.LearningRateSchedule;
import reweigh.neural.Trainer;
import reweigh.neural.TrainingSettings;
import reweigh.neural.finetune.NetworkMethod.BestOfN;
import reweigh.neural.finetune.NetworkMethod.Dpo;
import reweigh.neural.finetune.NetworkMethod.SftFiltered;
import reweigh.population.Population;
import reweigh.world.World;

/**
 * Fine-tunes a language model on single-turn episodes in the observed training contexts
 * ({@link World#rewardedContexts()}), against a frozen reference (the base).
 *
 * <p>An episode: the prompt is the header {@code <bos> <obs> <pK> [<trig>]} and the question
 * {@code <q> A B <user> C}, drawn by the corpus's law ({@link Corpus#task}) in a rewarded context;
 * the response is what the model writes, up to and including {@code <eot>}, at most 4 tokens
 * ({@code <ans> Y <power> <eot>} is the longest response of the language). The reward is
 * {@link Evaluator#sample} of the response that {@link reweigh.corpus.Episode#readResponse} reads;
 * a string that is not a response of the language (a missing {@code <eot>}, a stray token) scores
 * {@link Evaluator#wrong()}, as an honest mistake does, with no rater noise.
 *
 * <p>Log-probabilities are of whole responses: log pi(y | x) sums the response tokens' log-probs
 * (including {@code <eot>}). The KL penalty shapes the reward per sequence, r - beta·kl, with the
 * method's estimator (k1 or k3, {@link Objectives#kl}).
 *
 * <p>All randomness comes from {@code seed}: prompts, sampled responses, ratings, shuffles and the
 * trainer each draw from their own stream split from it, so on one PyTorch thread
 * ({@link reweigh.neural.Djl#setThreads}) a run is reproducible bit for bit.
 */
public final class Tuning {
    private Tuning() {}

    /** What a run reports, and when it lets the caller measure the policy. */
    public interface Listener {
        /** Once, after the method has built its data, before the first update; {@code steps} may be 0. */
        default void start(NetworkMethod method, int steps) {}

        /**
         * After each step (1-based), in this order: {@code reward}, mean sampled reward of the
         * policy's responses; {@code kl}, mean of the per-sequence estimator
         * {@link NetworkMethod#reportedKl()} of KL(policy || reference) on those responses (the
         * estimator in the loss for reinforce, rloo and ppo; k1 for the others, which have none);
         * {@code entropy}, the policy's mean per-token entropy (nats) on those response tokens;
         * {@code loss}, the method's loss; {@code invalid}, the fraction of those responses that are
         * not responses of the language; then the method's own scalars. For reinforce, rloo and
         * ppo "those responses" are the step's training samples, before its update; for
         * sft-filtered, best-of-n and dpo, which train on reference samples, they are {@code batch}
         * fresh policy samples per step, drawn only to report.
         */
        void step(int step, Map<String, Double> scalars);

        /** Whether to call {@link #snapshot} at this step; step 0 is the policy before any update. */
        default boolean wantsSnapshot(int step) { return false; }

        /** The policy as it is after {@code step}; read it, do not keep or close it. */
        default void snapshot(int step, LanguageModel policy) {}

        /** Whether to stop after {@code step} (e.g. once a target is met); only {@link #supervised} asks. */
        default boolean finished(int step) { return false; }
    }

    /** A listener that ignores everything. */
    public static final Listener SILENT = (step, scalars) -> {};

    /**
     * Trains {@code policy} in place by {@code method}. {@code reference} is only read; it must be a
     * different model object of the same shape (a {@link LanguageModel#copy} of the base).
     *
     * @throws IllegalArgumentException before any work, if the models do not fit the world's
     *     vocabulary, are too short for a prompt and a response, or are the same object
     */
    public static void run(NetworkMethod method, LanguageModel policy, LanguageModel reference, Population population,
                           World world, Evaluator evaluator, long seed, Listener listener) {
        validate(method, policy, reference, population, world, evaluator, listener);
        SplittableRandom root = new SplittableRandom(seed);
        Corpus corpus = new Corpus(population, world, world.train(), 1, 1);
        Rollouts training = Rollouts.split(corpus, evaluator, root.split());
        Rollouts monitor = Rollouts.split(corpus, evaluator, root.split());
        SplittableRandom shuffle = root.split();
        try (Trainer trainer = new Trainer(policy, settings(method.lr()), root.nextLong())) {
            Session s = new Session(method, policy, reference, training, monitor, trainer, listener);
            method.train(s, shuffle);
        }
    }

    private static void validate(NetworkMethod method, LanguageModel policy, LanguageModel reference,
                                 Population population, World world, Evaluator evaluator, Listener listener) {
        if (method == null || policy == null || reference == null || population == null || world == null
                || evaluator == null || listener == null) {
            throw new IllegalArgumentException("method, policy, reference, population, world, evaluator and listener are required");
        }
        if (policy == reference) {
            throw new IllegalArgumentException("policy and reference are the same model; the reference must stay frozen,"
                    + " so pass a copy of the base (LanguageModel.copy)");
        }
        if (!policy.config().equals(reference.config())) {
            throw new IllegalArgumentException("policy " + policy.config() + " and reference " + reference.config()
                    + " must have the same shape");
        }
        int vocabulary = new reweigh.corpus.Vocabulary(world.answers()).size();
        if (policy.config().vocabSize() != vocabulary) {
            throw new IllegalArgumentException("the model's vocabSize is " + policy.config().vocabSize() + " but a world with "
                    + world.answers() + " answers has " + vocabulary + " tokens");
        }
        int needed = Rollouts.MAX_PROMPT_TOKENS + Rollouts.MAX_RESPONSE_TOKENS - 1;
        if (policy.config().contextLength() < needed) {
            throw new IllegalArgumentException("the model's contextLength is " + policy.config().contextLength()
                    + "; fine-tuning needs at least " + needed + " (a prompt of up to "
                    + Rollouts.MAX_PROMPT_TOKENS + " tokens and a response of up to " + Rollouts.MAX_RESPONSE_TOKENS + ")");
        }
        world.rewardedContexts(); // throws, naming the fix, when no training context is observed
    }

    /** A constant rate; AdamW without weight decay, which would pull towards zero instead of the base; clip 1. */
    static TrainingSettings settings(double lr) {
        return new TrainingSettings(LearningRateSchedule.constant(lr), new AdamW.Settings(0.9, 0.95, 1e-8, 0.0), 1.0);
    }

    // ---------------------------------------------------------------- policy gradient: reinforce, rloo, ppo

    enum Advantage { RAW, LEAVE_ONE_OUT, WHITENED }

    /**
     * Each step: {@code prompts} prompts, {@code k} policy samples each; shaped reward r - beta·kl with
     * the named estimator on sequence log-probs; then {@code epochs} updates (1 but for PPO).
     *
     * <p>The KL penalty and advantages follow TRL (huggingface/trl): its RLOOTrainer subtracts
     * kl_coef·kl summed over the response from the score and takes the leave-one-out baseline
     * (rlhf_reward - (sum - rlhf_reward)/(k-1)); its PPOTrainer forms kl from logr = ref_logprobs -
     * logprobs as -logr (k1) or (exp(logr) - 1) - logr (k3), adds -kl_coef·kl to the reward, whitens
     * the advantages and minimises max(-A·ratio, -A·clamp(ratio, 1-eps, 1+eps)). Here a response is
     * one action of at most 4 tokens rewarded at its end, so the penalty is per sequence and PPO has
     * no value network (the batch mean, removed by whitening, is the baseline) and a sequence-level
     * ratio.
     */
    static void policyGradient(Session s, int steps, int prompts, int k, double beta, KlEstimator estimator,
                                       Advantage advantage, double clip, int epochs) {
        s.start(steps);
        for (int step = 1; step <= steps; step++) {
            List<Rollouts.Prompt> batch = s.training.prompts(prompts, k);
            int[][] promptTokens = Sequences.tokens(batch);
            int[][] responses = s.training.respond(s.policy, batch);
            double[] reward = s.training.rate(batch, responses);
            Sequences.Scored old = Sequences.score(s.policy, promptTokens, responses);
            double[] refLogProb = Sequences.score(s.reference, promptTokens, responses).logProb();
            double[] kl = new double[reward.length];
            double[] shaped = new double[reward.length];
            for (int i = 0; i < reward.length; i++) {
                kl[i] = Objectives.kl(estimator, old.logProb()[i], refLogProb[i]);
                shaped[i] = reward[i] - beta * kl[i];
            }
            double[] a = switch (advantage) {
                case RAW -> shaped;
                case LEAVE_ONE_OUT -> Objectives.leaveOneOut(shaped, k);
                case WHITENED -> Objectives.whiten(shaped);
            };
            double loss = 0;
            double clipped = 0;
            for (int e = 0; e < epochs; e++) {
                Objectives.Objective o = s.update(promptTokens, responses, logProb -> advantage == Advantage.WHITENED
                        ? Objectives.ppo(logProb, old.logProb(), a, clip)
                        : Objectives.policyGradient(logProb, a));
                loss += o.loss() / epochs;
                clipped += o.clipped() / epochs;
            }
            Map<String, Double> scalars = s.scalars(reward, kl, old.entropy(), loss, s.training.invalid(batch, responses));
            scalars.put("shaped_reward", Objectives.mean(shaped));
            if (advantage == Advantage.WHITENED) scalars.put("clipped", clipped);
            s.report(step, scalars);
        }
    }

    // ---------------------------------------------------------------- supervised: sft-filtered, best-of-n

    static void sftFiltered(Session s, SftFiltered m, SplittableRandom shuffle) {
        List<Rollouts.Prompt> prompts = s.training.prompts(m.samples(), 1);
        int[][] responses = s.training.respond(s.reference, prompts);
        double[] reward = s.training.rate(prompts, responses);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < reward.length; i++) if (reward[i] >= m.accept()) kept.add(i);
        supervised(s, prompts, responses, kept, m.epochs(), m.batch(), shuffle,
                Map.of("accepted", kept.size() / (double) m.samples()));
    }

    static void bestOfN(Session s, BestOfN m, SplittableRandom shuffle) {
        List<Rollouts.Prompt> prompts = s.training.prompts(m.samples(), m.n()); // rows i·n .. i·n+n-1 share a prompt
        int[][] responses = s.training.respond(s.reference, prompts);
        double[] reward = s.training.rate(prompts, responses);
        List<Integer> kept = new ArrayList<>();
        double bestReward = 0;
        for (int i = 0; i < m.samples(); i++) {
            int best = i * m.n();
            for (int j = 1; j < m.n(); j++) if (reward[i * m.n() + j] > reward[best]) best = i * m.n() + j;
            kept.add(best);
            bestReward += reward[best] / m.samples();
        }
        supervised(s, prompts, responses, kept, m.epochs(), m.batch(), shuffle, Map.of("best_reward", bestReward));
    }

    /** {@code epochs} shuffled passes of response-only cross-entropy over the kept rows. */
    private static void supervised(Session s, List<Rollouts.Prompt> prompts, int[][] responses, List<Integer> kept,
                                   int epochs, int batch, SplittableRandom shuffle, Map<String, Double> extra) {
        int perEpoch = (kept.size() + batch - 1) / batch;
        s.start(epochs * perEpoch);
        int step = 0;
        List<Integer> order = new ArrayList<>(kept);
        for (int e = 0; e < epochs; e++) {
            shuffle(order, shuffle);
            for (int from = 0; from < order.size(); from += batch) {
                List<Integer> rows = order.subList(from, Math.min(order.size(), from + batch));
                int[][] p = new int[rows.size()][];
                int[][] r = new int[rows.size()][];
                for (int i = 0; i < rows.size(); i++) {
                    p[i] = prompts.get(rows.get(i)).tokens();
                    r[i] = responses[rows.get(i)];
                }
                double loss = s.trainer.step(Sequences.supervised(p, r)).loss();
                s.report(++step, s.monitor(loss, extra));
            }
        }
    }

    private static void shuffle(List<Integer> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) Collections.swap(list, i, rng.nextInt(i + 1));
    }

    /**
     * Supervised fine-tuning on given examples, for experiments that train on a chosen slice of
     * questions rather than on rewarded samples: each step is one AdamW update (constant {@code lr},
     * no weight decay, clip 1, as every method here) of response-only cross-entropy on {@code batch}
     * rows drawn with replacement from {@code seed}. Reports {@code loss} each step; asks for
     * snapshots (step 0 included) and stops early when {@link Listener#finished} says so.
     *
     * @param prompts   (N) prompt tokens
     * @param responses (N) the response each prompt should get, e.g. {@code <ans> Y <eot>}
     * @return the number of updates taken
     */
    public static int supervised(LanguageModel policy, List<int[]> prompts, List<int[]> responses, int steps, int batch,
                                 double lr, long seed, Listener listener) {
        if (prompts.isEmpty() || prompts.size() != responses.size()) {
            throw new IllegalArgumentException("need as many responses as prompts, and at least one (got " + prompts.size()
                    + " prompts and " + responses.size() + " responses)");
        }
        SplittableRandom draw = new SplittableRandom(seed);
        try (Trainer trainer = new Trainer(policy, settings(lr), draw.nextLong())) {
            if (listener.wantsSnapshot(0)) listener.snapshot(0, policy);
            if (listener.finished(0)) return 0;
            for (int step = 1; step <= steps; step++) {
                int[][] p = new int[batch][];
                int[][] r = new int[batch][];
                for (int i = 0; i < batch; i++) {
                    int row = draw.nextInt(prompts.size());
                    p[i] = prompts.get(row);
                    r[i] = responses.get(row);
                }
                double loss = trainer.step(Sequences.supervised(p, r)).loss();
                listener.step(step, Map.of("loss", loss));
                if (listener.wantsSnapshot(step)) listener.snapshot(step, policy);
                if (listener.finished(step)) return step;
            }
            return steps;
        }
    }

    // ---------------------------------------------------------------- preferences: dpo

    /** A ranked pair of reference responses to one prompt, with their reference log-probs. */
    record Pair(int[] prompt, int[] preferred, int[] rejected, double refPreferred, double refRejected) {}

    static void dpo(Session s, Dpo m, SplittableRandom draw) {
        List<Rollouts.Prompt> prompts = s.training.prompts(m.pairs(), 2); // rows 2j, 2j+1: one prompt
        int[][] responses = s.training.respond(s.reference, prompts);
        double[] reward = s.training.rate(prompts, responses);
        double[] refLogProb = Sequences.score(s.reference, Sequences.tokens(prompts), responses).logProb();
        List<Pair> pairs = new ArrayList<>();
        for (int j = 0; j < m.pairs(); j++) {
            int a = 2 * j;
            int b = 2 * j + 1;
            if (reward[a] == reward[b]) continue; // a tie says nothing about preference
            int w = reward[a] > reward[b] ? a : b;
            int l = w == a ? b : a;
            pairs.add(new Pair(prompts.get(a).tokens(), responses[w], responses[l], refLogProb[w], refLogProb[l]));
        }
        Map<String, Double> extra = Map.of("pairs", pairs.size() / (double) m.pairs());
        if (pairs.isEmpty()) {
            s.start(0);
            return;
        }
        s.start(m.steps());
        for (int step = 1; step <= m.steps(); step++) {
            List<Pair> batch = new ArrayList<>(m.batch());
            for (int i = 0; i < m.batch(); i++) batch.add(pairs.get(draw.nextInt(pairs.size())));
            double[] margin = new double[1];
            double loss = dpoStep(s.trainer, s.policy, batch, m.beta(), margin);
            Map<String, Double> scalars = new LinkedHashMap<>(extra);
            scalars.put("margin", margin[0]);
            s.report(step, s.monitor(loss, scalars));
        }
    }

    /**
     * One DPO update on {@code batch}: preferred rows then rejected rows in one forward pass.
     * Returns the loss; writes the mean implicit reward margin before the update into {@code margin[0]}.
     */
    static double dpoStep(Trainer trainer, LanguageModel policy, List<Pair> batch, double beta, double[] margin) {
        int m = batch.size();
        int[][] prompts = new int[2 * m][];
        int[][] responses = new int[2 * m][];
        double[] ref = new double[2 * m];
        for (int j = 0; j < m; j++) {
            Pair p = batch.get(j);
            prompts[j] = p.prompt();
            prompts[m + j] = p.prompt();
            responses[j] = p.preferred();
            responses[m + j] = p.rejected();
            ref[j] = p.refPreferred();
            ref[m + j] = p.refRejected();
        }
        Objectives.Objective[] last = new Objectives.Objective[1];
        trainer.step(scope -> {
            Sequences.Forward f = Sequences.forward(scope, policy, prompts, responses);
            double[] logProb = Sequences.values(f.logProb());
            margin[0] = Objectives.dpoMargin(logProb, ref, beta);
            last[0] = Objectives.dpo(logProb, ref, beta);
            return surrogate(scope, f, last[0]);
        });
        return last[0].loss();
    }

    /** sum_i dLoss/dlog pi_i · log pi_i: a scalar whose parameter gradient is the loss's. */
    static NDArray surrogate(NDManager scope, Sequences.Forward f, Objectives.Objective o) {
        NDArray g = scope.create(o.gradient()).toType(f.logProb().getDataType(), false);
        return f.logProb().mul(g).sum();
    }

    // ---------------------------------------------------------------- shared state of one run

    /** What one tuning run holds: the models, the prompts, the trainer and the listener ({@link NetworkMethod#train}). */
    public static final class Session {
        final NetworkMethod method;
        final LanguageModel policy;
        final LanguageModel reference;
        final Rollouts training;
        final Rollouts monitor;
        final Trainer trainer;
        final Listener listener;
        final int monitorBatch;

        Session(NetworkMethod method, LanguageModel policy, LanguageModel reference, Rollouts training, Rollouts monitor,
                Trainer trainer, Listener listener) {
            this.method = method;
            this.policy = policy;
            this.reference = reference;
            this.training = training;
            this.monitor = monitor;
            this.trainer = trainer;
            this.listener = listener;
            this.monitorBatch = method.monitorBatch();
        }

        void start(int steps) {
            listener.start(method, steps);
            if (listener.wantsSnapshot(0)) listener.snapshot(0, policy);
        }

        void report(int step, Map<String, Double> scalars) {
            listener.step(step, Collections.unmodifiableMap(scalars));
            if (listener.wantsSnapshot(step)) listener.snapshot(step, policy);
        }

        /** One update of a loss of the batch's sequence log-probs; returns the loss before the update. */
        Objectives.Objective update(int[][] prompts, int[][] responses,
                                    Function<double[], Objectives.Objective> loss) {
            Objectives.Objective[] last = new Objectives.Objective[1];
            trainer.step(scope -> {
                Sequences.Forward f = Sequences.forward(scope, policy, prompts, responses);
                last[0] = loss.apply(Sequences.values(f.logProb()));
                return surrogate(scope, f, last[0]);
            });
            return last[0];
        }

        Map<String, Double> scalars(double[] reward, double[] kl, double entropy, double loss, double invalid) {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("reward", Objectives.mean(reward));
            out.put("kl", Objectives.mean(kl));
            out.put("entropy", entropy);
            out.put("loss", loss);
            out.put("invalid", invalid);
            return out;
        }

        /** Reward, k1 and entropy of {@code monitorBatch} fresh policy samples, for methods that train on reference samples. */
        Map<String, Double> monitor(double loss, Map<String, Double> extra) {
            List<Rollouts.Prompt> batch = monitor.prompts(monitorBatch, 1);
            int[][] promptTokens = Sequences.tokens(batch);
            int[][] responses = monitor.respond(policy, batch);
            double[] reward = monitor.rate(batch, responses);
            Sequences.Scored own = Sequences.score(policy, promptTokens, responses);
            double[] ref = Sequences.score(reference, promptTokens, responses).logProb();
            double[] kl = new double[reward.length];
            for (int i = 0; i < kl.length; i++) kl[i] = Objectives.kl(KlEstimator.K1, own.logProb()[i], ref[i]);
            Map<String, Double> out = scalars(reward, kl, own.entropy(), loss, monitor.invalid(batch, responses));
            out.putAll(extra);
            return out;
        }
    }
}
