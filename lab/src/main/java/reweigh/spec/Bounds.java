package reweigh.spec;

import java.util.Locale;
import java.util.Map;

/**
 * Upper bounds on what a spec may ask for, so a typo cannot exhaust the machine: the size of the spec
 * file itself (checked before it is parsed), and the sizes that set how much memory or time a run takes.
 * Each bound is far above every shipped experiment; a value past one is an error naming the bound.
 */
public final class Bounds {
    private Bounds() {}

    /** A spec file or text larger than this is refused before it is parsed: 1 MB. */
    public static final int SPEC_BYTES = 1 << 20;

    /** Seeds of one sweep ({@code --seeds}) and of an experiment's own {@code seeds:} setting. */
    public static final int SEEDS = 1_000;

    /**
     * The bound on each size key, wherever it appears (a method's parameters, the network's settings,
     * an experiment's own settings): the key's name as the spec writes it, and its largest value.
     */
    public static final Map<String, Integer> SIZES = Map.of(
            "batch", 65_536,             // samples or episodes per update, held in memory at once
            "steps", 1_000_000,          // updates of one run
            "tune_steps", 1_000_000,
            "revive_steps", 1_000_000,
            "samples", 10_000_000,       // samples drawn for a supervised data set
            "pairs", 10_000_000,         // preference pairs for DPO
            "episodes", 10_000_000,      // the pre-training corpus
            "seeds", SEEDS,
            "replicates", SEEDS,         // networks pretrained and tuned per finding
            "points", 100_000);          // recorded points per trajectory

    /** The message for a value past its bound. */
    public static String past(String key, long bound) {
        return String.format(Locale.ROOT, "must be at most %,d (the bound on %s; see reweigh.spec.Bounds)", bound, key);
    }

    /** The message for a spec past {@link #SPEC_BYTES}. */
    static String tooLarge(long bytes) {
        return String.format(Locale.ROOT, "the spec is %,d bytes; the limit is 1 MB (%,d bytes), checked before parsing", bytes, SPEC_BYTES);
    }
}
