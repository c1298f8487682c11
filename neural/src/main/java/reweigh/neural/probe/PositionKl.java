package reweigh.neural.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import reweigh.neural.Hooks;
import reweigh.neural.LanguageModel;

/**
 * Where along a response one model's next-token distributions part from another's: KL(p ‖ q) between the two
 * distributions over the next token at each position of each sequence. Qi et al. 2024 (arXiv 2406.05946) find that
 * safety tuning moves a model's distribution mostly in the first few tokens of a response; this reads the same of
 * any tuned network against its base.
 *
 * <p>By the chain rule, for responses drawn from p after a prompt, the KLs at the response's positions summed are
 * an unbiased estimate of KL(p ‖ q) between the two models' distributions over whole responses, so the mean per
 * position ({@link #byPosition}) splits that divergence into its positions' shares.
 */
public final class PositionKl {
    private static final int CHUNK = 64;

    private PositionKl() {}

    /** {@link #along(LanguageModel, LanguageModel, List, int[])} from one position in every sequence. */
    public static double[][] along(LanguageModel p, LanguageModel q, List<int[]> sequences, int from) {
        int[] each = new int[sequences.size()];
        java.util.Arrays.fill(each, from);
        return along(p, q, sequences, each);
    }

    /**
     * For each sequence i, KL(p ‖ q) of the next-token distributions before each of its tokens {@code from[i]}..n−1
     * (entry k is the token at {@code from[i] + k}, given the tokens before it), in nats.
     *
     * @param from per sequence, the first position read, at least 1 (its prompt's length, to read its response only)
     */
    public static double[][] along(LanguageModel p, LanguageModel q, List<int[]> sequences, int[] from) {
        if (!p.config().equals(q.config())) throw new IllegalArgumentException("models differ in shape: " + p.config() + " vs " + q.config());
        if (from.length != sequences.size()) throw new IllegalArgumentException(from.length + " starts for " + sequences.size() + " sequences");
        double[][] out = new double[sequences.size()][];
        for (int start = 0; start < sequences.size(); start += CHUNK) {
            int end = Math.min(sequences.size(), start + CHUNK);
            int longest = 0;
            for (int i = start; i < end; i++) {
                if (from[i] < 1 || sequences.get(i).length < from[i]) {
                    throw new IllegalArgumentException("sequence " + i + " of " + sequences.get(i).length + " tokens read from position " + from[i]
                            + ": allowed 1.." + sequences.get(i).length + " (the first token has no distribution before it)");
                }
                longest = Math.max(longest, sequences.get(i).length);
            }
            int width = longest - 1; // the inputs: every token but the last, padded on the right (causal attention keeps the padding out)
            if (width < 1) {
                for (int i = start; i < end; i++) out[i] = new double[0];
                continue;
            }
            int[][] inputs = new int[end - start][width];
            for (int i = start; i < end; i++) {
                int[] s = sequences.get(i);
                System.arraycopy(s, 0, inputs[i - start], 0, s.length - 1);
            }
            double[] flat;
            try (NDManager scope = p.newScope()) {
                NDArray lp = p.forward(scope, inputs, Hooks.none()).logSoftmax(-1);
                NDArray lq = q.forward(scope, inputs, Hooks.none()).logSoftmax(-1).toType(lp.getDataType(), false);
                flat = lp.exp().mul(lp.sub(lq)).sum(new int[] {-1}).toType(DataType.FLOAT64, false).toDoubleArray(); // (B * width)
            }
            for (int i = start; i < end; i++) {
                int n = sequences.get(i).length;
                out[i] = new double[n - from[i]];
                // the distribution before token t is read at input position t − 1
                for (int t = from[i]; t < n; t++) out[i][t - from[i]] = flat[(i - start) * width + t - 1];
            }
        }
        return out;
    }

    /**
     * The mean over sequences of the KL at each of the first {@code positions} positions read, a sequence that ended
     * before a position counting 0 there (it wrote nothing more), so the entries sum to the mean summed KL.
     */
    public static double[] byPosition(double[][] along, int positions) {
        double[] mean = new double[positions];
        for (double[] row : along) {
            for (int k = 0; k < positions && k < row.length; k++) mean[k] += row[k] / along.length;
        }
        return mean;
    }
}
