package reweigh.experiment.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import reweigh.experiment.wrapper.WrapperFindings.Decodability;
import reweigh.experiment.wrapper.WrapperFindings.Revival;
import reweigh.stats.MeanInterval;

/** The revival statistics, against hand computations, and the verdicts read off the intervals. */
class WrapperTest {
    @Test
    void stepsToTargetIsTheFirstUpdateAtOrAboveIt() {
        assertEquals(0, Wrapper.stepsToTarget(new double[] {0.96, 0.2}, 0.95));
        assertEquals(2, Wrapper.stepsToTarget(new double[] {0.1, 0.94, 0.95, 0.99}, 0.95));
        assertEquals(-1, Wrapper.stepsToTarget(new double[] {0.1, 0.5}, 0.95), "never reached");
    }

    @Test
    void revivalIsReadOffTheRatiosInterval() {
        assertEquals(Revival.WRAPPED, WrapperFindings.revival(MeanInterval.geometric(new double[] {Math.log(0.2), Math.log(0.3), Math.log(0.25)})));
        assertEquals(Revival.DAMAGED, WrapperFindings.revival(MeanInterval.geometric(new double[] {Math.log(2), Math.log(3), Math.log(2.5)})));
        assertEquals(Revival.NO_DIFFERENCE, WrapperFindings.revival(MeanInterval.geometric(new double[] {Math.log(0.5), Math.log(2), Math.log(1)})));
        assertEquals(Revival.ONE_SEED, WrapperFindings.revival(MeanInterval.geometric(new double[] {Math.log(0.2)})), "no interval, no verdict");
    }

    @Test
    void decodabilityComparesTheIntervalsAndChance() {
        MeanInterval before = new MeanInterval(1, 0.9, 0.85, 0.95);
        assertEquals(Decodability.AT_CHANCE, WrapperFindings.decodability(before, new MeanInterval(1, 0.3, 0.2, 0.4), 0.25));
        assertEquals(Decodability.FELL, WrapperFindings.decodability(before, new MeanInterval(1, 0.6, 0.5, 0.7), 0.25));
        assertEquals(Decodability.UNCHANGED, WrapperFindings.decodability(before, new MeanInterval(1, 0.88, 0.8, 0.93), 0.25));
        assertEquals(Decodability.ROSE, WrapperFindings.decodability(new MeanInterval(1, 0.6, 0.5, 0.7), before, 0.25));
    }
}
