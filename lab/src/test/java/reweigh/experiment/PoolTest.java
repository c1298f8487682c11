package reweigh.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.run.Metrics;

/** Pooling replicates' series, including runs whose lengths differ between replicates. */
class PoolTest {
    private static final double T = 12.706; // t(0.975, 1), the published table

    @Test
    void sameStepsPoolByStepWithTheStudentTInterval() {
        Metrics m = new Metrics();
        m.add("a@1", 0, "x", 1.0);
        m.add("a@1", 10, "x", 3.0);
        m.add("a@1", 10, "x.lo95", 0.0); // an inner interval: stays with its replicate
        m.add("a@2", 0, "x", 2.0);
        m.add("a@2", 10, "x", 5.0);
        Replicates.pool(m, List.of("a@1", "a@2"), "a");
        assertArrayEquals(new double[] {0, 10}, m.steps("a", "x"));
        assertArrayEquals(new double[] {1.5, 4.0}, m.values("a", "x"), 1e-12);
        assertEquals(4.0 - T * 1.0, m.last("a", "x.lo95"), 1e-3);
        assertEquals(4.0 + T * 1.0, m.last("a", "x.hi95"), 1e-3);
    }

    @Test
    void snapshotsOfRunsOfDifferentLengthsPoolBySnapshotAndStepsByTheStepsAllShare() {
        Metrics m = new Metrics();
        int[][] snapshots = {{0, 25, 50}, {0, 26, 52}};
        for (int r = 0; r < 2; r++) {
            for (int k = 0; k < 3; k++) m.add("s@" + r, snapshots[r][k], "logodds", 10 * r + k);
            for (int step = 1; step <= snapshots[r][2]; step++) m.add("s@" + r, step, "reward", r + step);
        }
        Replicates.pool(m, List.of("s@0", "s@1"), "s");
        assertArrayEquals(new double[] {0, 25, 50}, m.steps("s", "logodds"), "at the first replicate's steps");
        assertArrayEquals(new double[] {5, 6, 7}, m.values("s", "logodds"), 1e-12);
        assertEquals(50, m.steps("s", "reward").length, "steps 1..50, which both replicates have");
        assertEquals(50.5, m.last("s", "reward"), 1e-12);
    }
}
