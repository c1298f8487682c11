package reweigh.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeanIntervalTest {

    /** Student-t quantiles from the published tables (4 significant figures). */
    @ParameterizedTest
    @CsvSource({"1, 12.706", "2, 4.303", "4, 2.776", "9, 2.262", "29, 2.045", "120, 1.980"})
    void quantilesMatchTheTables(int df, double t975) {
        assertEquals(t975, MeanInterval.tQuantile(0.975, df), 5e-4);
    }

    @Test
    void theCdfAgreesWithMonteCarloAtThreeDegreesOfFreedom() {
        // T = Z / sqrt(chi2_3 / 3); P(T <= 1) within 5 standard errors of 200k draws.
        Random r = new Random(7);
        int n = 200_000;
        int below = 0;
        for (int i = 0; i < n; i++) {
            double z = r.nextGaussian();
            double chi = 0;
            for (int k = 0; k < 3; k++) chi += Math.pow(r.nextGaussian(), 2);
            if (z / Math.sqrt(chi / 3) <= 1) below++;
        }
        double p = MeanInterval.tCdf(1, 3);
        assertEquals(p, below / (double) n, 5 * Math.sqrt(p * (1 - p) / n));
    }

    @Test
    void intervalOfRepeats() {
        MeanInterval m = MeanInterval.of(new double[] {1, 2, 3});
        assertEquals(2, m.mean(), 1e-12);
        assertEquals(4.303 / Math.sqrt(3), m.halfWidth(), 1e-3);
        assertTrue(Double.isNaN(MeanInterval.of(new double[] {5}).low()), "one repeat: no interval");
        assertEquals(0, MeanInterval.of(new double[] {4, 4, 4}).halfWidth(), 0);
    }

    /**
     * Ratios 1/4, 1/2, 1: log-ratios -2L, -L, 0 with L = ln 2; mean -L, sd L, n 3; the 95% t-interval
     * exp(-L ± 4.303 L / sqrt 3), t(2, 0.975) = 4.303.
     */
    @Test
    void theRatioIsAGeometricMeanWithAStudentTIntervalOnTheLogScale() {
        double l = Math.log(2);
        MeanInterval r = MeanInterval.geometric(new double[] {Math.log(0.25), Math.log(0.5), 0.0});
        assertEquals(0.5, r.mean(), 1e-12);
        assertEquals(Math.exp(-l - MeanInterval.tQuantile(0.975, 2) * l / Math.sqrt(3)), r.low(), 1e-12);
        assertEquals(Math.exp(-l + MeanInterval.tQuantile(0.975, 2) * l / Math.sqrt(3)), r.high(), 1e-12);
        MeanInterval one = MeanInterval.geometric(new double[] {Math.log(3)});
        assertEquals(3, one.mean(), 1e-12);
        assertTrue(Double.isNaN(one.low()) && Double.isNaN(one.high()), "no interval from one seed");
    }
}
