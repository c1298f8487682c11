package reweigh.experiment.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The revival statistics, against hand computations. */
class WrapperTest {
    @Test
    void stepsToTargetIsTheFirstUpdateAtOrAboveIt() {
        assertEquals(0, Wrapper.stepsToTarget(new double[] {0.96, 0.2}, 0.95));
        assertEquals(2, Wrapper.stepsToTarget(new double[] {0.1, 0.94, 0.95, 0.99}, 0.95));
        assertEquals(-1, Wrapper.stepsToTarget(new double[] {0.1, 0.5}, 0.95), "never reached");
    }
}
