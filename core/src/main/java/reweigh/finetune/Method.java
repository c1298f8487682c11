package reweigh.finetune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fine-tuning procedure on the exact engine. Each is a record of its parameters (the spec's keys),
 * validated in its compact constructor.
 */
public sealed interface Method permits KlRl, Replicator, Reinforce, Rloo, SftFiltered, Dpo, BestOfN, Tilt {

    /** The spec name, e.g. {@code kl-rl}. */
    String name();

    /** Runs from the base weights, drawing randomness from {@code seed} alone, and records the trajectory. */
    void run(Problem problem, long seed, Recorder recorder);

    /** True for closed forms, whose trajectory is the base and the optimum. */
    default boolean closedForm() { return false; }

    /** True for methods that change the algorithms' weights; false for {@code tilt}, which changes behaviour. */
    default boolean reweights() { return true; }

    /** What a method stands for in a report: one hypothesis's prediction, or a method measured against both. */
    enum Role {
        /** Behaviour tilting's prediction ({@code tilt}). */
        TILTING_PREDICTION,
        /** Algorithm reweighting's prediction, its closed form ({@code kl-rl}). */
        REWEIGHTING_PREDICTION,
        /** A fine-tuning method, measured against the two predictions. */
        MEASURED
    }

    default Role role() { return Role.MEASURED; }

    /** A method a spec can name, with its defaults and a one-line description. */
    record Kind(String name, Method defaults, String description) {}

    /**
     * The methods by spec name. Held in a class of its own, initialised on first use: a constant of this
     * interface would be initialised when a method record is (the interface has default methods), before
     * that record's DEFAULTS exists, and would hold null.
     */
    static Map<String, Kind> kinds() { return Registry.KINDS; }

    /** The lazily initialised table behind {@link #kinds()}. */
    final class Registry {
        private Registry() {}

        static final Map<String, Kind> KINDS = table();
    }

    private static Map<String, Kind> table() {
        Map<String, Kind> k = new LinkedHashMap<>();
        k.put("kl-rl", new Kind("kl-rl", KlRl.DEFAULTS, "closed form of KL-regularised RL over algorithms: w* ∝ w0·exp(R/beta)"));
        k.put("replicator", new Kind("replicator", Replicator.DEFAULTS, "exact expected natural gradient with KL to w0; its fixed point is kl-rl"));
        k.put("reinforce", new Kind("reinforce", Reinforce.DEFAULTS, "sampled REINFORCE, vanilla gradient on softmax logits, KL-shaped reward"));
        k.put("rloo", new Kind("rloo", Rloo.DEFAULTS, "REINFORCE with a leave-one-out baseline over k samples per context"));
        k.put("sft-filtered", new Kind("sft-filtered", SftFiltered.DEFAULTS, "fit the weights to base samples the evaluator accepts (em or sgd)"));
        k.put("dpo", new Kind("dpo", Dpo.DEFAULTS, "DPO on logits over preference pairs of base samples"));
        k.put("best-of-n", new Kind("best-of-n", BestOfN.DEFAULTS, "distil the best of n base samples into the weights (MLE by EM)"));
        k.put("tilt", new Kind("tilt", Tilt.DEFAULTS, "the behaviour-tilting prediction: pi0·exp(r/beta) on training contexts only"));
        return java.util.Collections.unmodifiableMap(k);
    }
}
