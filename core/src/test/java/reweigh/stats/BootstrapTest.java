package reweigh.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void aResampleDrawsNItemsAndOnceIsTheSampleItself() {
        int[] m = Bootstrap.resample(50, new SplittableRandom(3));
        assertEquals(50, Arrays.stream(m).sum());
        double[] x = new SplittableRandom(4).doubles(50).toArray();
        assertEquals(Arrays.stream(x).average().orElseThrow(), Bootstrap.mean(x, Bootstrap.once(50)), 1e-15);
        double[] withInfinity = {1, 2, Double.POSITIVE_INFINITY};
        assertEquals(1.5, Bootstrap.mean(withInfinity, new int[] {1, 1, 0}), 0, "an item never drawn is left out");
        double[][] rows = {{1, 10}, {2, 20}, {3, 30}};
        int[] drawn = {2, 0, 1};
        double[] columns = Bootstrap.columnMeans(rows, 2, drawn);
        assertEquals(Bootstrap.mean(new double[] {1, 2, 3}, drawn), columns[0], 0, "a column's mean is the mean of that column");
        assertEquals(Bootstrap.mean(new double[] {10, 20, 30}, drawn), columns[1], 0);
    }

    /**
     * Oracle: the bootstrap distribution of the mean has variance σ̂²/n exactly, with σ̂² the sample's
     * variance divided by n (not n − 1). 20000 resamples of 40 values: the standard deviation of their means
     * must match sqrt(σ̂²/n) within 3%, about 6 standard errors (a standard deviation from 20000 draws is good to 0.5%).
     */
    @Test
    void theSpreadOfResampledMeansIsTheClosedForm() {
        double[] x = new SplittableRandom(7).doubles(40, 0, 10).toArray();
        int n = x.length;
        double mean = Arrays.stream(x).average().orElseThrow();
        double variance = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / n;
        SplittableRandom rng = new SplittableRandom(8);
        int draws = 20000;
        double sum = 0, squares = 0;
        for (int b = 0; b < draws; b++) {
            double m = Bootstrap.mean(x, Bootstrap.resample(n, rng));
            sum += m;
            squares += m * m;
        }
        double sd = Math.sqrt(squares / draws - (sum / draws) * (sum / draws));
        assertEquals(Math.sqrt(variance / n), sd, 0.03 * Math.sqrt(variance / n));
    }
}
