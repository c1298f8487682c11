package reweigh.neural.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;
import reweigh.neural.Hooks;
import reweigh.neural.LanguageModel;

/**
 * Activation patching: run a {@code target} model on its sequences with one named activation (all of
 * it, or one attention head) replaced by what a {@code source} model computed there on its own
 * sequences. Two models on the same sequences ask "which part of the tuned model carries the change";
 * one model on two contexts asks "where does the difference between the contexts flow".
 *
 * <p>Source and target sequences are paired and each pair must have one length, so positions line up.
 */
public final class Patching {
    /** Patch the whole activation rather than one head. */
    public static final int ALL_HEADS = -1;
    private static final int CHUNK = 64;

    private Patching() {}

    /**
     * For each target sequence, log p(token t | tokens before t), t = 1..n-1, under the patch.
     *
     * @param head {@link #ALL_HEADS}, or a head to patch at an attention hook ({@code attn.hook_q|k|v|z},
     *             axis 2 of (B, T, H, D)); the other heads keep the target's values
     */
    public static double[][] logProbs(LanguageModel source, List<int[]> sourceSequences, LanguageModel target,
            List<int[]> targetSequences, String hook, int head) {
        if (!source.config().equals(target.config())) {
            throw new IllegalArgumentException("models differ in shape: " + source.config() + " vs " + target.config());
        }
        if (sourceSequences.size() != targetSequences.size()) {
            throw new IllegalArgumentException(sourceSequences.size() + " source sequences but " + targetSequences.size() + " target sequences");
        }
        for (int i = 0; i < sourceSequences.size(); i++) {
            if (sourceSequences.get(i).length != targetSequences.get(i).length) {
                throw new IllegalArgumentException("pair " + i + " has lengths " + sourceSequences.get(i).length + " and "
                        + targetSequences.get(i).length + "; patched positions must line up");
            }
        }
        if (head != ALL_HEADS && (!hook.contains(".attn.hook_") || hook.endsWith("hook_pattern")
                || head < 0 || head >= target.config().heads())) {
            throw new IllegalArgumentException("head " + head + " at " + hook + ": patch one head (0.." + (target.config().heads() - 1)
                    + ") only at attn.hook_q|k|v|z, or pass ALL_HEADS");
        }
        double[][] out = new double[targetSequences.size()][];
        for (int from = 0; from < targetSequences.size(); from += CHUNK) {
            int to = Math.min(targetSequences.size(), from + CHUNK);
            try (NDManager scope = target.newScope(); Hooks cache = Hooks.on(scope).cache(hook); Hooks patch = Hooks.on(scope)) {
                source.forward(scope, Activations.inputs(sourceSequences, from, to), cache);
                NDArray donor = cache.cached(hook);
                if (head == ALL_HEADS) {
                    patch.patch(hook, donor);
                } else {
                    NDIndex one = new NDIndex(":, :, " + head + ", :");
                    patch.patch(hook, x -> {
                        NDArray y = x.duplicate();
                        y.set(one, donor.get(one).toType(x.getDataType(), false));
                        return y;
                    });
                }
                Activations.read(target.forward(scope, Activations.inputs(targetSequences, from, to), patch),
                        targetSequences, from, to, out);
            }
        }
        return out;
    }
}
