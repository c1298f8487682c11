package reweigh.neural.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import reweigh.corpus.Vocabulary;
import reweigh.neural.Batch;
import reweigh.neural.Hooks;
import reweigh.neural.LanguageModel;

/**
 * Sequence-level log-probabilities of responses, log pi(y | x) = sum over the response's tokens of
 * log pi(y_t | x, y_<t), and the policy's per-token entropy on those tokens. Rows are prompt then
 * response, padded on the right; causal attention keeps the padding from reaching them.
 */
final class Sequences {
    private static final int ROWS_PER_PASS = 256; // bounds the activations of one no-gradient pass

    private Sequences() {}

    /**
     * One forward pass: {@code logProb} (B) is log pi(response | prompt), differentiable when built
     * under a gradient collector; {@code entropy} is the summed per-token entropy (nats) over every
     * response token of the batch, and {@code tokens} their number.
     */
    record Forward(NDArray logProb, double entropy, int tokens) {}

    /** Log-probabilities without gradient, and the mean per-token entropy over the response tokens. */
    record Scored(double[] logProb, double entropy) {}

    static Forward forward(NDManager scope, LanguageModel model, int[][] prompts, int[][] responses) {
        int rows = prompts.length;
        int longest = 0;
        for (int r = 0; r < rows; r++) longest = Math.max(longest, prompts[r].length + responses[r].length);
        int[][] tokens = new int[rows][longest]; // (B, L), padded with <pad>
        float[] mask = new float[rows * (longest - 1)]; // (B, L-1): 1 where the target is a response token
        int count = 0;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(prompts[r], 0, tokens[r], 0, prompts[r].length);
            System.arraycopy(responses[r], 0, tokens[r], prompts[r].length, responses[r].length);
            java.util.Arrays.fill(tokens[r], prompts[r].length + responses[r].length, longest, Vocabulary.PAD);
            for (int j = 0; j < responses[r].length; j++) mask[r * (longest - 1) + prompts[r].length - 1 + j] = 1f;
            count += responses[r].length;
        }
        int[][] inputs = new int[rows][];
        long[] targets = new long[rows * (longest - 1)];
        for (int r = 0; r < rows; r++) {
            inputs[r] = java.util.Arrays.copyOf(tokens[r], longest - 1);
            for (int j = 1; j < longest; j++) targets[r * (longest - 1) + j - 1] = tokens[r][j];
        }
        NDArray logits = model.forward(scope, inputs, Hooks.none()); // (B, L-1, V)
        NDArray logSoftmax = logits.logSoftmax(-1); // (B, L-1, V)
        NDArray weight = scope.create(mask, new Shape(rows, longest - 1)).toType(model.dataType(), false);
        NDArray target = scope.create(targets, new Shape(rows, longest - 1, 1));
        NDArray logProb = logSoftmax.gather(target, -1).squeeze(-1).mul(weight).sum(new int[] {1}); // (B)
        NDArray detached = logSoftmax.stopGradient();
        NDArray entropy = detached.exp().mul(detached).sum(new int[] {-1}).neg().mul(weight).sum(); // ()
        return new Forward(logProb, values(entropy)[0], count);
    }

    /** {@link #forward} without gradient, in chunks, for any number of rows. */
    static Scored score(LanguageModel model, int[][] prompts, int[][] responses) {
        double[] logProb = new double[prompts.length];
        double entropy = 0;
        int tokens = 0;
        for (int from = 0; from < prompts.length; from += ROWS_PER_PASS) {
            int to = Math.min(prompts.length, from + ROWS_PER_PASS);
            try (NDManager scope = model.newScope()) {
                Forward f = forward(scope, model, java.util.Arrays.copyOfRange(prompts, from, to),
                        java.util.Arrays.copyOfRange(responses, from, to));
                System.arraycopy(values(f.logProb()), 0, logProb, from, to - from);
                entropy += f.entropy();
                tokens += f.tokens();
            }
        }
        return new Scored(logProb, tokens == 0 ? 0 : entropy / tokens);
    }

    static int[][] tokens(List<Rollouts.Prompt> prompts) {
        int[][] out = new int[prompts.size()][];
        for (int i = 0; i < out.length; i++) out[i] = prompts.get(i).tokens();
        return out;
    }

    static double[] values(NDArray array) {
        return array.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /**
     * A batch for next-token cross-entropy on the responses only: {@code lossMask} is 1 on each
     * response token (the {@link Batch} convention: column t weighs predicting token t).
     */
    static Batch supervised(int[][] prompts, int[][] responses) {
        int longest = 0;
        for (int r = 0; r < prompts.length; r++) longest = Math.max(longest, prompts[r].length + responses[r].length);
        int[][] tokens = new int[prompts.length][longest];
        float[][] mask = new float[prompts.length][longest];
        for (int r = 0; r < prompts.length; r++) {
            System.arraycopy(prompts[r], 0, tokens[r], 0, prompts[r].length);
            System.arraycopy(responses[r], 0, tokens[r], prompts[r].length, responses[r].length);
            for (int j = 0; j < responses[r].length; j++) mask[r][prompts[r].length + j] = 1f;
        }
        return new Batch(tokens, mask);
    }
}
