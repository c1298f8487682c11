package reweigh.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The revival statistics, against hand computations. */
class WrapperTest {
    @Test
    void stepsToTargetIsTheFirstUpdateAtOrAboveIt() {
        assertEquals(0, Wrapper.stepsToTarget(new double[] {0.96, 0.2}, 0.95));
        assertEquals(2, Wrapper.stepsToTarget(new double[] {0.1, 0.94, 0.95, 0.99}, 0.95));
        assertEquals(-1, Wrapper.stepsToTarget(new double[] {0.1, 0.5}, 0.95), "never reached");
    }

    /**
     * Ratios 1/4, 1/2, 1: log-ratios -2L, -L, 0 with L = ln 2; mean -L, sd L, n 3; the 95% t-interval
     * exp(-L ± 4.303 L / sqrt 3), t(2, 0.975) = 4.303.
     */
    @Test
    void theRatioIsAGeometricMeanWithAStudentTIntervalOnTheLogScale() {
        double l = Math.log(2);
        double[] r = Wrapper.geometricMean(List.of(Math.log(0.25), Math.log(0.5), 0.0));
        assertEquals(0.5, r[0], 1e-12);
        assertEquals(Math.exp(-l - reweigh.measure.MeanInterval.tQuantile(0.975, 2) * l / Math.sqrt(3)), r[1], 1e-12);
        assertEquals(Math.exp(-l + reweigh.measure.MeanInterval.tQuantile(0.975, 2) * l / Math.sqrt(3)), r[2], 1e-12);
        double[] one = Wrapper.geometricMean(List.of(Math.log(3)));
        assertEquals(3, one[0], 1e-12);
        assertTrue(Double.isNaN(one[1]) && Double.isNaN(one[2]), "no interval from one seed");
    }
}
