package reweigh.neural.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.function.Consumer;
import reweigh.neural.Hooks;
import reweigh.neural.LanguageModel;

/**
 * Reads one named activation at one position of each prompt: the features a {@link LinearProbe}
 * is fitted on.
 *
 * <p>Prompts may differ in length: they are padded on the right and run together, and causal
 * attention keeps the padding from reaching the positions read. A position {@code p >= 0} counts
 * from the start, {@code p < 0} from the end ({@code -1} = each prompt's last token, where the model
 * predicts what comes next).
 */
public final class Activations {
    private static final int CHUNK = 64; // prompts per forward pass

    private Activations() {}

    /**
     * (N, F) the activation {@code hook} at {@code position} of each of the N prompts, flattened over
     * its non-batch, non-position axes: F = dModel for {@code hook_resid_*}, {@code hook_*_out} and
     * {@code ln_final.hook_normalized}; H*D for {@code attn.hook_q|k|v|z}; dMlp for
     * {@code mlp.hook_pre|post}; V for {@code logits}. {@code attn.hook_pattern} and
     * {@code hook_pos_embed} have no per-prompt position axis and are refused.
     */
    public static double[][] at(LanguageModel model, List<int[]> prompts, String hook, int position) {
        return at(model, prompts, hook, position, hooks -> {});
    }

    /**
     * The same, with {@code intervene} adding patches or ablations to each forward pass first (e.g.
     * {@code h -> h.ablate("blocks.0.mlp.hook_post", 3, 7)}), so activations can be read under an
     * intervention upstream of {@code hook}.
     */
    public static double[][] at(LanguageModel model, List<int[]> prompts, String hook, int position,
            Consumer<Hooks> intervene) {
        if (prompts.isEmpty()) throw new IllegalArgumentException("need at least one prompt");
        if (hook.endsWith("attn.hook_pattern") || hook.equals("hook_pos_embed")) {
            throw new IllegalArgumentException(hook + " has no (batch, position) axes to read; choose a residual, "
                    + "attention-output, MLP or logits hook from " + model.hookNames());
        }
        if (!model.hookNames().contains(hook)) {
            throw new IllegalArgumentException("unknown hook '" + hook + "'; valid hooks are: " + model.hookNames());
        }
        double[][] out = new double[prompts.size()][];
        for (int from = 0; from < prompts.size(); from += CHUNK) {
            int to = Math.min(prompts.size(), from + CHUNK);
            int longest = 0;
            int[] read = new int[to - from];
            for (int r = from; r < to; r++) {
                int length = prompts.get(r).length;
                int p = position >= 0 ? position : length + position;
                if (p < 0 || p >= length) {
                    throw new IllegalArgumentException("position " + position + " is outside prompt " + r
                            + " of " + length + " tokens");
                }
                read[r - from] = p;
                longest = Math.max(longest, length);
            }
            int[][] padded = new int[to - from][longest];
            for (int r = from; r < to; r++) System.arraycopy(prompts.get(r), 0, padded[r - from], 0, prompts.get(r).length);
            try (NDManager scope = model.newScope(); Hooks hooks = Hooks.on(scope)) {
                intervene.accept(hooks);
                hooks.cache(hook);
                model.forward(scope, padded, hooks);
                NDArray cached = hooks.cached(hook); // (B, T, ...)
                int width = (int) (cached.getShape().size() / (cached.getShape().get(0) * cached.getShape().get(1)));
                double[] flat = cached.toType(DataType.FLOAT64, false).toDoubleArray(); // (B * T * F)
                for (int r = 0; r < to - from; r++) {
                    out[from + r] = new double[width];
                    System.arraycopy(flat, (r * longest + read[r]) * width, out[from + r], 0, width);
                }
            }
        }
        return out;
    }

    /**
     * For each sequence, log p(token t | tokens before t) for t = 1..n-1, as
     * {@link LanguageModel#logProbs(int[][])} gives it, with {@code intervene} adding patches or
     * ablations to every forward pass (e.g. ablated neurons).
     */
    public static double[][] logProbs(LanguageModel model, List<int[]> sequences, Consumer<Hooks> intervene) {
        double[][] out = new double[sequences.size()][];
        for (int from = 0; from < sequences.size(); from += CHUNK) {
            int to = Math.min(sequences.size(), from + CHUNK);
            int[][] inputs = inputs(sequences, from, to);
            try (NDManager scope = model.newScope(); Hooks hooks = Hooks.on(scope)) {
                intervene.accept(hooks);
                read(model.forward(scope, inputs, hooks), sequences, from, to, out);
            }
        }
        return out;
    }

    /** Sequences {@code from..to-1} without their last token, padded on the right: (B, L-1). */
    static int[][] inputs(List<int[]> sequences, int from, int to) {
        int longest = 2;
        for (int r = from; r < to; r++) {
            if (sequences.get(r).length < 2) throw new IllegalArgumentException("sequence " + r + " has fewer than 2 tokens");
            longest = Math.max(longest, sequences.get(r).length);
        }
        int[][] inputs = new int[to - from][longest - 1];
        for (int r = from; r < to; r++) {
            int[] s = sequences.get(r);
            System.arraycopy(s, 0, inputs[r - from], 0, s.length - 1);
        }
        return inputs;
    }

    /** Reads log p(s[t] | s[<t]) of sequences {@code from..to-1} off logits (B, L-1, V) into {@code out}. */
    static void read(NDArray logits, List<int[]> sequences, int from, int to, double[][] out) {
        long length = logits.getShape().get(1);
        long vocab = logits.getShape().get(2);
        double[] logProb = logits.logSoftmax(-1).toType(DataType.FLOAT64, false).toDoubleArray(); // (B * (L-1) * V)
        for (int r = from; r < to; r++) {
            int[] s = sequences.get(r);
            out[r] = new double[s.length - 1];
            for (int t = 1; t < s.length; t++) out[r][t - 1] = logProb[(int) (((r - from) * length + t - 1) * vocab + s[t])];
        }
    }
}
