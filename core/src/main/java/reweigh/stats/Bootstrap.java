package reweigh.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The nonparametric bootstrap as multiplicities: a resample of n items is how many times each one is drawn,
 * so a statistic of the resample is the same statistic with those weights, and nothing is copied.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** n draws with replacement from n items: how many times each was drawn (they sum to n). */
    public static int[] resample(int n, SplittableRandom rng) {
        int[] multiplicity = new int[n];
        for (int i = 0; i < n; i++) multiplicity[rng.nextInt(n)]++;
        return multiplicity;
    }

    /** Every item once: the sample itself. */
    public static int[] once(int n) {
        int[] multiplicity = new int[n];
        Arrays.fill(multiplicity, 1);
        return multiplicity;
    }

    /** Σ m_i·x_i / Σ m_i over the items drawn (an item never drawn is left out, so its x may be infinite). */
    public static double mean(double[] x, int[] multiplicity) {
        double sum = 0;
        long total = 0;
        for (int i = 0; i < x.length; i++) {
            if (multiplicity[i] == 0) continue;
            sum += multiplicity[i] * x[i];
            total += multiplicity[i];
        }
        return sum / total;
    }

    /** Each column's {@link #mean} over the rows, in one pass: rows[i] is item i's values. */
    public static double[] columnMeans(double[][] rows, int columns, int[] multiplicity) {
        double[] mean = new double[columns];
        long total = 0;
        for (int i = 0; i < rows.length; i++) {
            if (multiplicity[i] == 0) continue;
            for (int y = 0; y < columns; y++) mean[y] += multiplicity[i] * rows[i][y];
            total += multiplicity[i];
        }
        for (int y = 0; y < columns; y++) mean[y] /= total;
        return mean;
    }
}
