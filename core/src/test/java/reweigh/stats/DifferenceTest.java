package reweigh.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The difference of means and its standard error, against a two-pass computation and against Monte Carlo. */
class DifferenceTest {
    static Stream<Long> seeds() { return Stream.of(1L, 2L, 3L, 4L, 5L); }

    @ParameterizedTest
    @MethodSource("seeds")
    void matchesTheTwoPassFormula(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = rng.doubles(5 + rng.nextInt(50)).toArray(), b = rng.doubles(5 + rng.nextInt(50)).map(v -> 3 * v - 1).toArray();
        Difference d = Difference.ofMeans(a, b);
        double ma = java.util.Arrays.stream(a).average().orElseThrow(), mb = java.util.Arrays.stream(b).average().orElseThrow();
        double va = java.util.Arrays.stream(a).map(v -> (v - ma) * (v - ma)).sum() / a.length;
        double vb = java.util.Arrays.stream(b).map(v -> (v - mb) * (v - mb)).sum() / b.length;
        assertEquals(ma - mb, d.estimate(), 1e-12);
        assertEquals(Math.sqrt(va / a.length + vb / b.length), d.se(), 1e-12);
    }

    /** Uniform(0, 1) against 2·Uniform(0, 1), 40 and 60 values: sd of the difference sqrt(1/12/40 + 4/12/60) = 0.0866; 2,000 draws hold it to 5%. */
    @Test
    void theStandardErrorIsTheSpreadOfTheEstimate() {
        SplittableRandom rng = new SplittableRandom(7);
        int draws = 2000;
        double sum = 0, squares = 0, se = 0;
        for (int i = 0; i < draws; i++) {
            Difference d = Difference.ofMeans(rng.doubles(40).toArray(), rng.doubles(60).map(v -> 2 * v).toArray());
            sum += d.estimate();
            squares += d.estimate() * d.estimate();
            se += d.se() / draws;
        }
        double mean = sum / draws, sd = Math.sqrt(squares / draws - mean * mean);
        double exact = Math.sqrt(1.0 / 12 / 40 + 4.0 / 12 / 60);
        assertEquals(-0.5, mean, 0.01);
        assertEquals(exact, sd, 0.05 * exact);
        assertEquals(exact, se, 0.05 * exact);
    }

    @Test
    void anEmptySampleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Difference.ofMeans(new double[0], new double[] {1}));
    }
}
