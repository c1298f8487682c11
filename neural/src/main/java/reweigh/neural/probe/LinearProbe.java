package reweigh.neural.probe;

import java.util.Arrays;
import java.util.SplittableRandom;
import reweigh.stats.Binomial;
import reweigh.stats.Interval;

/**
 * A linear probe: multinomial logistic regression {@code p(k | x) = softmax(W z(x) + b)_k} on
 * standardised features {@code z(x) = (x - mean) / sd} (mean and sd from the training rows), fitted by
 * Nesterov-accelerated gradient descent on the mean cross-entropy plus {@code l2/2 ||W||^2}.
 * The loss is convex, so the fit does not depend on an initialisation; the seed only decides which
 * rows are held out.
 *
 * <p>{@link #fit} shuffles the rows with the seed, trains on {@code 1 - heldOutFraction} of them and
 * scores the rest: {@link #heldOut()} is the accuracy on rows the probe never saw, with a Wilson 95%
 * interval. A probe fitted on one model's activations can score another's with {@link #accuracy}.
 */
public final class LinearProbe {
    /** Share of rows held out for scoring. */
    public static final double HELD_OUT_FRACTION = 0.3;
    /** L2 penalty on the weights of the standardised features (not on the biases). */
    public static final double L2 = 1e-3;
    /** Gradient steps; the step size is 1 / (a bound on the loss's curvature), so this many suffice. */
    public static final int ITERATIONS = 400;

    private final int classes;
    private final double[] mean; // (F)
    private final double[] scale; // (F) 1 / sd, 0 for a constant feature
    private final double[][] weights; // (K, F)
    private final double[] biases; // (K)
    private final Accuracy heldOut;
    private final double chance;

    /**
     * Accuracy on scored rows.
     *
     * @param correct rows whose most probable class is the label
     * @param total   rows scored
     * @param interval Wilson 95% interval of {@code correct / total}
     */
    public record Accuracy(long correct, long total, Interval interval) {
        public double rate() { return total == 0 ? Double.NaN : (double) correct / total; }

        static Accuracy of(long correct, long total) {
            return new Accuracy(correct, total, Binomial.wilson(correct, total));
        }
    }

    private LinearProbe(int classes, double[] mean, double[] scale, double[][] weights, double[] biases,
            double chance, Accuracy heldOut) {
        this.classes = classes;
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.biases = biases;
        this.chance = chance;
        this.heldOut = heldOut;
    }

    /**
     * Fits a probe on a seeded {@code 70/30} split of the rows and scores it on the held-out 30%.
     *
     * @param features (N, F) one row per example, N at least 4
     * @param labels   (N) classes {@code 0..classes-1}
     * @param classes  K, at least 2
     * @param seed     decides the split
     */
    public static LinearProbe fit(double[][] features, int[] labels, int classes, long seed) {
        int n = features.length;
        if (n < 4) throw new IllegalArgumentException("need at least 4 rows to fit and hold out, got " + n);
        if (labels.length != n) throw new IllegalArgumentException(n + " rows but " + labels.length + " labels");
        if (classes < 2) throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        int width = features[0].length;
        for (int i = 0; i < n; i++) {
            if (features[i].length != width) throw new IllegalArgumentException("row " + i + " has " + features[i].length + " features, row 0 has " + width);
            if (labels[i] < 0 || labels[i] >= classes) throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is outside 0.." + (classes - 1));
        }
        int[] order = shuffled(n, seed);
        int held = Math.max(1, (int) Math.round(HELD_OUT_FRACTION * n));
        int[] train = Arrays.copyOfRange(order, held, n);
        int[] test = Arrays.copyOfRange(order, 0, held);

        double[] mean = new double[width];
        double[] scale = new double[width];
        for (int r : train) for (int f = 0; f < width; f++) mean[f] += features[r][f] / train.length;
        for (int f = 0; f < width; f++) {
            double var = 0;
            for (int r : train) var += Math.pow(features[r][f] - mean[f], 2) / train.length;
            scale[f] = var > 1e-24 ? 1 / Math.sqrt(var) : 0;
        }
        double[][] z = new double[train.length][];
        int[] y = new int[train.length];
        long[] counts = new long[classes];
        for (int i = 0; i < train.length; i++) {
            z[i] = standardise(features[train[i]], mean, scale);
            y[i] = labels[train[i]];
            counts[y[i]]++;
        }
        double chance = (double) Arrays.stream(counts).max().orElse(0) / train.length;
        double[][] w = new double[classes][width];
        double[] b = new double[classes];
        descend(z, y, classes, w, b);
        LinearProbe unscored = new LinearProbe(classes, mean, scale, w, b, chance, null);
        double[][] testRows = new double[test.length][];
        int[] testLabels = new int[test.length];
        for (int i = 0; i < test.length; i++) {
            testRows[i] = features[test[i]];
            testLabels[i] = labels[test[i]];
        }
        return new LinearProbe(classes, mean, scale, w, b, chance, unscored.accuracy(testRows, testLabels));
    }

    /** p(k | x) for k = 0..K-1. */
    public double[] probabilities(double[] x) {
        if (x.length != mean.length) throw new IllegalArgumentException("expected " + mean.length + " features, got " + x.length);
        return softmax(logits(standardise(x, mean, scale), weights, biases));
    }

    /** The most probable class. */
    public int predict(double[] x) {
        double[] p = probabilities(x);
        int best = 0;
        for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
        return best;
    }

    /** Accuracy on the held-out rows of the fit, with its Wilson 95% interval. */
    public Accuracy heldOut() { return heldOut; }

    /** Accuracy on any rows, e.g. another model's activations at the same hook. */
    public Accuracy accuracy(double[][] features, int[] labels) {
        if (features.length != labels.length) throw new IllegalArgumentException(features.length + " rows but " + labels.length + " labels");
        long correct = 0;
        for (int i = 0; i < features.length; i++) if (predict(features[i]) == labels[i]) correct++;
        return Accuracy.of(correct, features.length);
    }

    /** The accuracy of always answering the most frequent training label: the baseline to beat. */
    public double chance() { return chance; }

    public int classes() { return classes; }

    // ---------------------------------------------------------------- fitting

    /**
     * Nesterov's accelerated gradient with step 1/L, L = 1/2 lambda_max(Z'Z / n) + l2 + 1/2: a bound
     * on the curvature of the mean softmax cross-entropy (its Hessian is at most 1/2 (z,1)(z,1)' per
     * row) plus the penalty. lambda_max is bounded by power iteration from a fixed start.
     */
    private static void descend(double[][] z, int[] y, int classes, double[][] w, double[] b) {
        int n = z.length;
        int width = w[0].length;
        double curvature = 0.5 * (largestEigenvalue(z) + 1) + L2;
        double step = 1 / curvature;
        double[][] wPrev = new double[classes][width];
        double[] bPrev = new double[classes];
        double[][] wLook = new double[classes][width];
        double[] bLook = new double[classes];
        for (int it = 1; it <= ITERATIONS; it++) {
            double momentum = (it - 1.0) / (it + 2.0);
            for (int k = 0; k < classes; k++) {
                for (int f = 0; f < width; f++) wLook[k][f] = w[k][f] + momentum * (w[k][f] - wPrev[k][f]);
                bLook[k] = b[k] + momentum * (b[k] - bPrev[k]);
            }
            double[][] gw = new double[classes][width];
            double[] gb = new double[classes];
            for (int i = 0; i < n; i++) {
                double[] p = softmax(logits(z[i], wLook, bLook));
                p[y[i]] -= 1;
                for (int k = 0; k < classes; k++) {
                    double g = p[k] / n;
                    if (g == 0) continue;
                    gb[k] += g;
                    double[] row = gw[k];
                    for (int f = 0; f < width; f++) row[f] += g * z[i][f];
                }
            }
            for (int k = 0; k < classes; k++) {
                System.arraycopy(w[k], 0, wPrev[k], 0, width);
                bPrev[k] = b[k];
                for (int f = 0; f < width; f++) w[k][f] = wLook[k][f] - step * (gw[k][f] + L2 * wLook[k][f]);
                b[k] = bLook[k] - step * gb[k];
            }
        }
    }

    /** An upper-side estimate of the largest eigenvalue of Z'Z / n: 50 power iterations, times 1.05. */
    private static double largestEigenvalue(double[][] z) {
        int width = z[0].length;
        double[] v = new double[width];
        Arrays.fill(v, 1 / Math.sqrt(width));
        double lambda = 0;
        for (int it = 0; it < 50; it++) {
            double[] next = new double[width];
            for (double[] row : z) {
                double dot = 0;
                for (int f = 0; f < width; f++) dot += row[f] * v[f];
                for (int f = 0; f < width; f++) next[f] += dot * row[f] / z.length;
            }
            double norm = Math.sqrt(Arrays.stream(next).map(x -> x * x).sum());
            if (norm == 0) return 0;
            lambda = norm;
            for (int f = 0; f < width; f++) v[f] = next[f] / norm;
        }
        return 1.05 * lambda;
    }

    private static double[] standardise(double[] x, double[] mean, double[] scale) {
        double[] z = new double[x.length];
        for (int f = 0; f < x.length; f++) z[f] = (x[f] - mean[f]) * scale[f];
        return z;
    }

    private static double[] logits(double[] z, double[][] w, double[] b) {
        double[] out = b.clone();
        for (int k = 0; k < out.length; k++) {
            double[] row = w[k];
            for (int f = 0; f < z.length; f++) out[k] += row[f] * z[f];
        }
        return out;
    }

    private static double[] softmax(double[] logits) {
        double max = Arrays.stream(logits).max().orElse(0);
        double total = 0;
        double[] p = new double[logits.length];
        for (int k = 0; k < p.length; k++) total += p[k] = Math.exp(logits[k] - max);
        for (int k = 0; k < p.length; k++) p[k] /= total;
        return p;
    }

    private static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
