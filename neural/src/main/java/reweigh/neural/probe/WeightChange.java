package reweigh.neural.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.neural.LanguageModel;
import reweigh.neural.Transformer;

/**
 * How much fine-tuning moved one weight matrix, dW = W_after - W_before.
 *
 * <p>{@code relativeNorm} is ||dW||_F / ||W_before||_F. {@code effectiveRank} is the effective rank of
 * Roy and Vetterli (2007), exp(H(p)) with p_i = s_i / sum_j s_j over the singular values s of dW: k for
 * k equal singular values and zeros, between 1 and min(rows, cols) otherwise; 0 for dW = 0. A wrapper
 * learned on top of a capability (Jain et al., arXiv 2311.12786) should be small and of low rank.
 *
 * @param parameter   the TransformerLens name, e.g. {@code blocks.0.mlp.W_in}
 * @param layer       its block, or -1 for the embeddings and unembedding
 * @param deltaNorm   ||dW||_F
 * @param norm        ||W_before||_F
 * @param effectiveRank exp of the entropy of dW's normalised singular values
 * @param fullRank    min(rows, cols), the most the effective rank can be
 */
public record WeightChange(String parameter, int layer, double deltaNorm, double norm, double effectiveRank, int fullRank) {

    public double relativeNorm() { return norm == 0 ? Double.NaN : deltaNorm / norm; }

    /** Every weight matrix (two-dimensional parameter) of two models of the same shape, in parameter order. */
    public static List<WeightChange> between(LanguageModel before, LanguageModel after) {
        if (!before.config().equals(after.config())) {
            throw new IllegalArgumentException("models differ in shape: " + before.config() + " vs " + after.config());
        }
        List<WeightChange> out = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : before.parameters().entrySet()) {
            if (e.getValue().getShape().dimension() != 2) continue;
            double[][] w0 = matrix(e.getValue());
            double[][] w1 = matrix(after.parameters().get(e.getKey()));
            out.add(of(e.getKey(), w0, w1));
        }
        return out;
    }

    /** The change from {@code before} to {@code after}, two matrices of one shape. */
    public static WeightChange of(String parameter, double[][] before, double[][] after) {
        double[][] delta = new double[before.length][before[0].length];
        for (int i = 0; i < before.length; i++) {
            for (int j = 0; j < before[0].length; j++) delta[i][j] = after[i][j] - before[i][j];
        }
        return new WeightChange(parameter, layerOf(parameter), frobenius(delta), frobenius(before),
                effectiveRank(singularValues(delta)), Math.min(before.length, before[0].length));
    }

    /**
     * Per block (then -1 for the rest), ||dW||_F / ||W||_F over all of its matrices together:
     * sqrt(sum ||dW||^2) / sqrt(sum ||W||^2).
     */
    public static Map<Integer, Double> relativeNormByLayer(List<WeightChange> changes) {
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        for (WeightChange c : changes) {
            double[] s = sums.computeIfAbsent(c.layer(), k -> new double[2]);
            s[0] += c.deltaNorm() * c.deltaNorm();
            s[1] += c.norm() * c.norm();
        }
        Map<Integer, Double> out = new LinkedHashMap<>();
        sums.keySet().stream().sorted((a, b) -> a < 0 ? 1 : b < 0 ? -1 : Integer.compare(a, b))
                .forEach(k -> out.put(k, Math.sqrt(sums.get(k)[0] / sums.get(k)[1])));
        return out;
    }

    /** exp(-sum p_i log p_i), p_i = s_i / sum s; 0 when every s_i is 0. */
    public static double effectiveRank(double[] singularValues) {
        double total = Arrays.stream(singularValues).sum();
        if (total <= 0) return 0;
        double entropy = 0;
        for (double s : singularValues) {
            double p = s / total;
            if (p > 0) entropy -= p * Math.log(p);
        }
        return Math.exp(entropy);
    }

    /**
     * Singular values in descending order, by one-sided Jacobi (Hestenes): rotate pairs of columns
     * until all are orthogonal; the column norms are then the singular values. Accurate to about
     * 1e-12 relative for the small matrices here.
     */
    public static double[] singularValues(double[][] a) {
        boolean wide = a[0].length > a.length;
        int m = wide ? a[0].length : a.length;
        int n = wide ? a.length : a[0].length;
        double[][] columns = new double[n][m]; // column j of the tall matrix
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                if (wide) columns[i][j] = a[i][j];
                else columns[j][i] = a[i][j];
            }
        }
        for (int sweep = 0; sweep < 60; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = 0, beta = 0, gamma = 0;
                    double[] u = columns[p], v = columns[q];
                    for (int i = 0; i < m; i++) {
                        alpha += u[i] * u[i];
                        beta += v[i] * v[i];
                        gamma += u[i] * v[i];
                    }
                    if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma == 0) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta == 0 ? 1 : zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    for (int i = 0; i < m; i++) {
                        double x = u[i];
                        double y = v[i];
                        u[i] = c * x - s * y;
                        v[i] = s * x + c * y;
                    }
                }
            }
            if (!rotated) break;
        }
        double[] values = new double[n];
        for (int j = 0; j < n; j++) values[j] = Math.sqrt(Arrays.stream(columns[j]).map(x -> x * x).sum());
        Arrays.sort(values);
        for (int i = 0; i < n / 2; i++) {
            double t = values[i];
            values[i] = values[n - 1 - i];
            values[n - 1 - i] = t;
        }
        return values;
    }

    static double frobenius(double[][] a) {
        double s = 0;
        for (double[] row : a) for (double x : row) s += x * x;
        return Math.sqrt(s);
    }

    private static int layerOf(String parameter) {
        if (!parameter.startsWith(Transformer.BLOCKS)) return -1;
        return Integer.parseInt(parameter.substring(Transformer.BLOCKS.length(), parameter.indexOf('.', Transformer.BLOCKS.length())));
    }

    private static double[][] matrix(NDArray array) {
        int rows = (int) array.getShape().get(0);
        int cols = (int) array.getShape().get(1);
        double[] flat = array.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) System.arraycopy(flat, i * cols, out[i], 0, cols);
        return out;
    }
}
