package reweigh.neural.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
        int[] lengths = new int[rows];
        for (int r = 0; r < rows; r++) lengths[r] = prompts[r].length + responses[r].length;
        List<int[]> groups = Batch.byLength(lengths, LanguageModel.POSITIONS_PER_PASS); // rows of like length run together
        NDArray[] logProbs = new NDArray[groups.size()];
        long[] where = new long[rows]; // row r's place among the groups' rows, in group order
        double entropy = 0;
        int count = 0;
        int placed = 0;
        for (int k = 0; k < groups.size(); k++) {
            int[] group = groups.get(k);
            int longest = 0;
            for (int r : group) longest = Math.max(longest, lengths[r]);
            int[][] inputs = new int[group.length][]; // (G, L-1), padded with <pad>
            long[] targets = new long[group.length * (longest - 1)];
            float[] mask = new float[group.length * (longest - 1)]; // (G, L-1): 1 where the target is a response token
            for (int g = 0; g < group.length; g++) {
                int r = group[g];
                int[] tokens = new int[longest];
                System.arraycopy(prompts[r], 0, tokens, 0, prompts[r].length);
                System.arraycopy(responses[r], 0, tokens, prompts[r].length, responses[r].length);
                java.util.Arrays.fill(tokens, lengths[r], longest, Vocabulary.PAD);
                inputs[g] = java.util.Arrays.copyOf(tokens, longest - 1);
                for (int j = 1; j < longest; j++) targets[g * (longest - 1) + j - 1] = tokens[j];
                for (int j = 0; j < responses[r].length; j++) mask[g * (longest - 1) + prompts[r].length - 1 + j] = 1f;
                count += responses[r].length;
                where[r] = placed++;
            }
            NDArray logits = model.forward(scope, inputs, Hooks.none()); // (G, L-1, V)
            NDArray logSoftmax = logits.logSoftmax(-1); // (G, L-1, V)
            NDArray weight = scope.create(mask, new Shape(group.length, longest - 1)).toType(model.dataType(), false);
            NDArray target = scope.create(targets, new Shape(group.length, longest - 1, 1));
            logProbs[k] = logSoftmax.gather(target, -1).squeeze(-1).mul(weight).sum(new int[] {1}); // (G)
            NDArray detached = logSoftmax.stopGradient();
            entropy += values(detached.exp().mul(detached).sum(new int[] {-1}).neg().mul(weight).sum())[0];
        }
        NDArray logProb = logProbs.length == 1 ? logProbs[0]
                : NDArrays.concat(new NDList(logProbs)).take(scope.create(where)); // (B), rows in their own order
        return new Forward(logProb, entropy, count);
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
