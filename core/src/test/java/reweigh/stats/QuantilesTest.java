package reweigh.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QuantilesTest {

    static Stream<Long> seeds() { return LongStream.rangeClosed(1, 10).boxed(); }

    @ParameterizedTest
    @MethodSource("seeds")
    void quantilesInterpolateBetweenOrderStatistics(long seed) {
        double[] v = new SplittableRandom(seed).doubles(101).toArray();
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        assertEquals(sorted[50], Quantiles.ofFinite(v, 0.5), 0);
        assertEquals(sorted[2] + 0.5 * (sorted[3] - sorted[2]), Quantiles.ofFinite(v, 0.025), 1e-15);
    }

    @Test
    void theCentralIntervalInterpolatesAndKeepsInfinities() {
        double[] values = new double[101];
        for (int i = 0; i <= 100; i++) values[i] = 100 - i; // 0..100, shuffled order does not matter
        Interval i = Quantiles.central(values);
        assertEquals(2.5, i.low(), 1e-12);
        assertEquals(97.5, i.high(), 1e-12);
        assertTrue(i.contains(50));
        double[] logOdds = new double[40];
        Arrays.fill(logOdds, Double.POSITIVE_INFINITY); // a weight of zero in every replicate
        assertEquals(Double.POSITIVE_INFINITY, Quantiles.central(logOdds).low());
        assertEquals(Double.NaN, Quantiles.ofFinite(logOdds, 0.5));
    }

    @Test
    void wilsonIntervalsMatchPublishedValues() {
        // Newcombe (1998), Table I: 81/263 -> 0.2553..0.3662; 0/10 -> 0..0.2775
        Interval a = Binomial.wilson(81, 263);
        assertEquals(0.2553, a.low(), 1e-4);
        assertEquals(0.3662, a.high(), 1e-4);
        Interval b = Binomial.wilson(0, 10);
        assertEquals(0.0, b.low(), 1e-12);
        assertEquals(0.2775, b.high(), 1e-4);
    }
}
