package reweigh.neural.finetune;

import static reweigh.world.Check.atLeast;
import static reweigh.world.Check.finite;
import static reweigh.world.Check.nonNegative;
import static reweigh.world.Check.positive;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import reweigh.finetune.KlEstimator;
import reweigh.world.Check;

/**
 * A fine-tuning procedure on the neural engine: a record of its parameters (a spec's keys, in
 * snake_case), validated in its compact constructor. Names are the exact engine's
 * ({@link reweigh.finetune.Method}); {@link Tuning#run} carries them out on a {@link reweigh.neural.LanguageModel}.
 *
 * <p>Every learning rate is AdamW's, constant, with no weight decay (decay would pull the policy
 * towards zero rather than towards the base, which is the KL term's job). The timing above each
 * {@code DEFAULTS} is one default run on one PyTorch thread of a shared 2-core machine (load about
 * 4.5, so an idle machine is faster) for a d_model 64, 2-layer, 4-head model of the default world
 * (10 answers) pre-trained for 400 steps ({@code DefaultsTiming} in the tests). The learning rates
 * are a first choice, not tuned.
 */
public sealed interface NetworkMethod
        permits NetworkMethod.SftFiltered, NetworkMethod.Reinforce, NetworkMethod.Rloo, NetworkMethod.Ppo,
                NetworkMethod.Dpo, NetworkMethod.BestOfN {

    /** The spec name, the same as the exact engine's, e.g. {@code reinforce}. */
    String name();

    /**
     * The per-sequence KL estimator that the listener's {@code kl} reports: the one in the loss for
     * the policy-gradient methods; k1 of the policy against the reference on the policy's own
     * samples for methods with no KL estimator in their loss.
     */
    default KlEstimator reportedKl() { return KlEstimator.K1; }

    /** AdamW's learning rate. */
    double lr();

    /**
     * How many fresh policy samples each step's report draws, for methods that train on the reference's
     * samples; 0 for the policy-gradient methods, which report on the samples they train on.
     */
    default int monitorBatch() { return 0; }

    /** Carries the method out in one tuning run ({@link Tuning#run}); {@code shuffle} orders minibatches. */
    void train(Tuning.Session s, SplittableRandom shuffle);

    /**
     * Rejection-sampling fine-tuning: {@code samples} reference responses on training prompts, keep
     * those whose sampled reward is at least {@code accept}, then {@code epochs} passes of
     * next-token cross-entropy on the kept responses in shuffled minibatches of {@code batch}.
     */
    record SftFiltered(int samples, double accept, int epochs, double lr, int batch) implements NetworkMethod {
        /** 8 s: 4096 reference samples, 21% accepted from a weak base, 28 steps (plus a 64-sample report each step). */
        public static final SftFiltered DEFAULTS = new SftFiltered(4096, 0.5, 2, 3e-4, 64);

        public SftFiltered {
            atLeast("samples", samples, 1);
            finite("accept", accept);
            atLeast("epochs", epochs, 1);
            learningRate(lr);
            atLeast("batch", batch, 1);
        }

        public String name() { return "sft-filtered"; }

        @Override
        public int monitorBatch() { return batch; }

        public void train(Tuning.Session s, SplittableRandom shuffle) { Tuning.sftFiltered(s, this, shuffle); }
    }

    /**
     * REINFORCE with no baseline, as on the exact engine: each step samples one response for each of
     * {@code batch} prompts and ascends the mean of (r - beta·kl) · log pi(y|x), with {@code kl}
     * (k1 or k3) the sequence-level estimator against the reference.
     */
    record Reinforce(int steps, int batch, double lr, double beta, KlEstimator kl) implements NetworkMethod {
        /** 20 s; k1 reached 0.17 nats by the last step. */
        public static final Reinforce DEFAULTS = new Reinforce(200, 64, 1e-4, 0.1, KlEstimator.K1);

        public Reinforce {
            atLeast("steps", steps, 1);
            atLeast("batch", batch, 1);
            learningRate(lr);
            nonNegative("beta", beta);
            estimator(kl);
        }

        public String name() { return "reinforce"; }

        public void train(Tuning.Session s, SplittableRandom shuffle) {
            Tuning.policyGradient(s, steps, batch, 1, beta, kl, Tuning.Advantage.RAW, 0, 1);
        }

        @Override
        public KlEstimator reportedKl() { return kl; }
    }

    /**
     * REINFORCE leave-one-out (Ahmadian et al., arXiv 2402.14740): {@code k} responses for each of
     * {@code batch} prompts; each response's advantage is its shaped reward minus the mean of the
     * other k-1.
     */
    record Rloo(int steps, int batch, int k, double lr, double beta, KlEstimator kl) implements NetworkMethod {
        /** 17 s (64 samples a step); k1 reached 0.20 nats. */
        public static final Rloo DEFAULTS = new Rloo(200, 16, 4, 1e-4, 0.1, KlEstimator.K1);

        public Rloo {
            atLeast("steps", steps, 1);
            atLeast("batch", batch, 1);
            atLeast("k", k, 2);
            learningRate(lr);
            nonNegative("beta", beta);
            estimator(kl);
        }

        public String name() { return "rloo"; }

        public void train(Tuning.Session s, SplittableRandom shuffle) {
            Tuning.policyGradient(s, steps, batch, k, beta, kl, Tuning.Advantage.LEAVE_ONE_OUT, 0, 1);
        }

        @Override
        public KlEstimator reportedKl() { return kl; }
    }

    /**
     * Clipped PPO (Schulman et al., arXiv 1707.06347) with the KL penalty in the reward: each step
     * samples {@code batch} responses, shapes r - beta·kl, whitens the advantages over the batch,
     * and takes {@code epochs} AdamW updates of the clipped surrogate with ratio clip
     * {@code clip}. No value network: responses are single actions of at most 4 tokens, so the
     * batch mean is the baseline.
     */
    record Ppo(int steps, int batch, double lr, double beta, KlEstimator kl, double clip, int epochs)
            implements NetworkMethod {
        /** 19 s (400 updates); k1 reached 0.34 nats. */
        public static final Ppo DEFAULTS = new Ppo(100, 64, 1e-4, 0.1, KlEstimator.K1, 0.2, 4);

        public Ppo {
            atLeast("steps", steps, 1);
            atLeast("batch", batch, 1);
            learningRate(lr);
            nonNegative("beta", beta);
            estimator(kl);
            if (!(clip > 0 && clip < 1)) throw new Check.InvalidParameter("clip", "a number in (0, 1)", clip);
            atLeast("epochs", epochs, 1);
        }

        public String name() { return "ppo"; }

        public void train(Tuning.Session s, SplittableRandom shuffle) {
            Tuning.policyGradient(s, steps, batch, 1, beta, kl, Tuning.Advantage.WHITENED, clip, epochs);
        }

        @Override
        public KlEstimator reportedKl() { return kl; }
    }

    /**
     * Direct preference optimisation (Rafailov et al., arXiv 2305.18290) against the frozen
     * reference: {@code pairs} prompts, two reference responses each, the higher-rated preferred
     * (ties dropped); {@code steps} AdamW updates, each on {@code batch} pairs drawn with replacement.
     */
    record Dpo(int pairs, double beta, double lr, int steps, int batch) implements NetworkMethod {
        /**
         * 22-30 s (36% of pairs kept from a weak base; k1 0.09 nats at the end). At lr 1e-4 the
         * policy pushed both responses of each pair down and 48% of its responses left the
         * language (k1 4.4 nats): the likelihood displacement DPO is known for.
         */
        public static final Dpo DEFAULTS = new Dpo(4096, 0.1, 2e-5, 200, 64);

        public Dpo {
            atLeast("pairs", pairs, 1);
            positive("beta", beta);
            learningRate(lr);
            atLeast("steps", steps, 1);
            atLeast("batch", batch, 1);
        }

        public String name() { return "dpo"; }

        @Override
        public int monitorBatch() { return batch; }

        public void train(Tuning.Session s, SplittableRandom shuffle) { Tuning.dpo(s, this, shuffle); }
    }

    /**
     * Best-of-n distillation: for each of {@code samples} prompts draw {@code n} reference responses
     * and keep the highest-rated (the first on ties); then {@code epochs} passes of next-token
     * cross-entropy on the kept responses in minibatches of {@code batch}.
     */
    record BestOfN(int n, int samples, int epochs, double lr, int batch) implements NetworkMethod {
        /** 11 s: 8192 reference samples, 64 steps. */
        public static final BestOfN DEFAULTS = new BestOfN(4, 2048, 2, 3e-4, 64);

        public BestOfN {
            atLeast("n", n, 1);
            atLeast("samples", samples, 1);
            atLeast("epochs", epochs, 1);
            learningRate(lr);
            atLeast("batch", batch, 1);
        }

        public String name() { return "best-of-n"; }

        @Override
        public int monitorBatch() { return batch; }

        public void train(Tuning.Session s, SplittableRandom shuffle) { Tuning.bestOfN(s, this, shuffle); }
    }

    /** A method a spec can name, with its defaults and a one-line description. */
    record Kind(String name, NetworkMethod defaults, String description) {}

    /**
     * The methods by spec name, in a fixed order. A method rather than a constant: a constant here
     * would read each record's DEFAULTS while the first record to be used is still initialising
     * (an interface with default methods is initialised with its implementations), and hold null.
     */
    static Map<String, Kind> kinds() {
        Map<String, Kind> k = new LinkedHashMap<>();
        k.put("sft-filtered", new Kind("sft-filtered", SftFiltered.DEFAULTS,
                "supervised fine-tuning on reference samples the evaluator accepts"));
        k.put("reinforce", new Kind("reinforce", Reinforce.DEFAULTS,
                "REINFORCE on sequence log-probs, reward shaped by a KL estimator to the reference"));
        k.put("rloo", new Kind("rloo", Rloo.DEFAULTS, "REINFORCE with a leave-one-out baseline over k samples per prompt"));
        k.put("ppo", new Kind("ppo", Ppo.DEFAULTS, "clipped PPO, KL penalty in the reward, whitened advantages"));
        k.put("dpo", new Kind("dpo", Dpo.DEFAULTS, "DPO loss against the reference on ranked pairs of reference samples"));
        k.put("best-of-n", new Kind("best-of-n", BestOfN.DEFAULTS, "supervised fine-tuning on the best of n reference samples"));
        return Collections.unmodifiableMap(k);
    }

    private static void learningRate(double lr) {
        if (!(lr > 0 && lr < 1)) throw new Check.InvalidParameter("lr", "a learning rate in (0, 1)", lr);
    }

    private static void estimator(KlEstimator kl) {
        if (kl == null) throw new Check.InvalidParameter("kl", "k1 or k3", "nothing");
    }
}
