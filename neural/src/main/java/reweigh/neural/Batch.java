package reweigh.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A rectangular batch of token sequences for next-token training.
 *
 * <p>{@code lossMask[b][t]} weighs the loss of predicting {@code tokens[b][t]} from
 * {@code tokens[b][0..t-1]}; column 0 is never predicted and is ignored. A null mask weighs every
 * predicted token 1. Set the mask to 1 on response tokens only to train on responses only.
 *
 * @param tokens (B, T) token ids, T at least 2
 * @param lossMask (B, T) non-negative weights, or null
 */
public record Batch(int[][] tokens, float[][] lossMask) {

    public Batch {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("Batch: tokens must have at least one row");
        }
        int length = tokens[0].length;
        if (length < 2) {
            throw new IllegalArgumentException("Batch: rows need at least 2 tokens to predict one, got " + length);
        }
        for (int[] row : tokens) {
            if (row.length != length) {
                throw new IllegalArgumentException(
                        "Batch: rows must all have length " + length + ", got " + row.length);
            }
        }
        if (lossMask != null) {
            if (lossMask.length != tokens.length) {
                throw new IllegalArgumentException("Batch: lossMask has " + lossMask.length
                        + " rows, tokens has " + tokens.length);
            }
            double total = 0;
            for (float[] row : lossMask) {
                if (row.length != length) {
                    throw new IllegalArgumentException(
                            "Batch: lossMask rows must have length " + length + ", got " + row.length);
                }
                for (int t = 1; t < length; t++) {
                    if (!(row[t] >= 0) || Float.isInfinite(row[t])) {
                        throw new IllegalArgumentException("Batch: lossMask must be finite and >= 0, got " + row[t]);
                    }
                    total += row[t];
                }
            }
            if (total == 0) {
                throw new IllegalArgumentException("Batch: lossMask is zero on every predicted token");
            }
        }
    }

    /** A batch that trains on every predicted token. */
    public static Batch of(int[][] tokens) {
        return new Batch(tokens, null);
    }

    public int size() {
        return tokens.length;
    }

    public int length() {
        return tokens[0].length;
    }

    /** (B, T-1) int64: {@code tokens[:, :-1]}, what the model reads. */
    NDArray inputs(NDManager scope) {
        return columns(scope, 0, length() - 1);
    }

    /** (B, T-1) int64: {@code tokens[:, 1:]}, what the model must predict. */
    NDArray targets(NDManager scope) {
        return columns(scope, 1, length());
    }

    /** (B, T-1) weights of each prediction: {@code lossMask[:, 1:]}, or ones. */
    NDArray weights(NDManager scope, DataType dataType) {
        int b = size();
        int t = length() - 1;
        float[] flat = new float[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                flat[i * t + j] = lossMask == null ? 1f : lossMask[i][j + 1];
            }
        }
        NDArray w = scope.create(flat, new Shape(b, t));
        return dataType == DataType.FLOAT32 ? w : w.toType(dataType, false);
    }

    private NDArray columns(NDManager scope, int from, int to) {
        int b = size();
        int t = to - from;
        long[] flat = new long[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                flat[i * t + j] = tokens[i][from + j];
            }
        }
        return scope.create(flat, new Shape(b, t));
    }
}
