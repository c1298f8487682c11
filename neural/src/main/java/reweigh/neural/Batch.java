package reweigh.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /**
     * The same rows as batches cut to length: each row needs only its tokens up to the last one it
     * weighs, since causal attention keeps later positions (padding, unweighed tokens) from reaching
     * earlier ones. The rows are grouped by {@link #byLength(int[], int)}; rows keep their order within
     * a group, and the groups come shortest first. A row that weighs no token is left out: it adds
     * nothing to the loss or its gradient.
     *
     * @param positionsPerPass what one more forward and backward pass costs, in positions
     */
    public List<Batch> byLength(int positionsPerPass) {
        List<Integer> weighing = new ArrayList<>(); // rows that weigh a token; a row that weighs none adds nothing to the loss
        List<Integer> needs = new ArrayList<>();
        for (int r = 0; r < size(); r++) {
            int last = lossMask == null ? length() - 1 : 0;
            if (lossMask != null) for (int t = 1; t < length(); t++) if (lossMask[r][t] > 0) last = t;
            if (last == 0) continue;
            weighing.add(r);
            needs.add(last + 1);
        }
        int[] needed = needs.stream().mapToInt(Integer::intValue).toArray();
        List<Batch> batches = new ArrayList<>();
        for (int[] group : byLength(needed, positionsPerPass)) {
            int longest = 0;
            for (int i : group) longest = Math.max(longest, needed[i]);
            int[][] groupTokens = new int[group.length][];
            float[][] groupMask = lossMask == null ? null : new float[group.length][];
            for (int i = 0; i < group.length; i++) {
                int row = weighing.get(group[i]);
                groupTokens[i] = Arrays.copyOf(tokens[row], longest);
                if (lossMask != null) groupMask[i] = Arrays.copyOf(lossMask[row], longest);
            }
            batches.add(new Batch(groupTokens, groupMask));
        }
        return batches;
    }

    /**
     * Rows of the lengths they need, grouped so that one forward pass per group, padded to the group's
     * longest row, runs the fewest positions plus {@code positionsPerPass} for each pass after the
     * first: the exact optimum over groups of consecutive lengths (dynamic programming over the
     * distinct lengths in order), so rows that all need about the same length stay one group.
     *
     * @return each group's row indices, ascending; groups shortest first; every row in one group
     */
    public static List<int[]> byLength(int[] needed, int positionsPerPass) {
        int[] lengths = Arrays.stream(needed).distinct().sorted().toArray();
        int n = lengths.length;
        long[] rowsUpTo = new long[n + 1]; // rows that need at most lengths[i - 1]
        for (int i = 0; i < n; i++) {
            int length = lengths[i];
            rowsUpTo[i + 1] = rowsUpTo[i] + Arrays.stream(needed).filter(x -> x == length).count();
        }
        long[] best = new long[n + 1]; // least cost of the rows of the i shortest lengths
        int[] cut = new int[n + 1]; // where that grouping's last group starts
        for (int i = 1; i <= n; i++) {
            best[i] = Long.MAX_VALUE;
            for (int j = 0; j < i; j++) { // lengths j..i-1 make one group, padded to lengths[i - 1]
                long cost = best[j] + (rowsUpTo[i] - rowsUpTo[j]) * lengths[i - 1] + (j == 0 ? 0 : positionsPerPass);
                if (cost < best[i]) {
                    best[i] = cost;
                    cut[i] = j;
                }
            }
        }
        List<int[]> groups = new ArrayList<>();
        for (int i = n; i > 0; i = cut[i]) {
            int shortest = lengths[cut[i]];
            int longest = lengths[i - 1];
            groups.add(0, java.util.stream.IntStream.range(0, needed.length)
                    .filter(r -> needed[r] >= shortest && needed[r] <= longest).toArray());
        }
        return groups;
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
