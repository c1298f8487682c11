package reweigh.experiment.honeypots;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.measure.Finding;
import reweigh.run.Metrics;
import reweigh.stats.MeanInterval;

/** The writer direction's two readings over replicates, from recorded numbers whose means and t-intervals are known. */
class HoneypotsDirectionTest {
    static final List<String> TAGS = List.of("@seed1", "@seed2", "@seed3", "@seed4");

    @Test
    void steeringRaisesLiesWhenEveryReplicatesEffectKeepsItsIntervalAboveZero() {
        Metrics m = new Metrics();
        double[] lie = {0.17, 0.16, 0.18, 0.17}, toward = {0.25, 0.22, 0.27, 0.24};
        for (int r = 0; r < 4; r++) {
            String series = HoneypotsDirection.series("", TAGS.get(r));
            m.add(series, 0, "length", 1);
            m.add(series, 0, "lie", lie[r]);
            m.add(series, 0, "lie.toward", toward[r]);
            m.add(series, 0, "lie.away", lie[r] - 0.05);
            m.add(series, 0, "lie.ablated", lie[r]);
            m.add(HoneypotsDirection.series(" @ h=0.5", TAGS.get(r)), 0, "moved", r % 2 == 0 ? 0.3 : -0.2);
        }
        Finding<HoneypotsDirection.Steering> f = HoneypotsDirection.steering(m, TAGS);
        assertEquals(HoneypotsDirection.Steering.RAISES_LIES, f.verdict());
        double[] effect = new double[4];
        for (int r = 0; r < 4; r++) effect[r] = toward[r] - lie[r];
        assertEquals(MeanInterval.of(effect).mean(), f.value("effect"), 1e-12);
        assertEquals(MeanInterval.of(effect).low(), f.number("effect").low(), 1e-12);
        assertEquals(HoneypotsDirection.Moved.NOT_CLEAR, HoneypotsDirection.moved(m, TAGS, " @ h=0.5").verdict());
        assertEquals(0.05, HoneypotsDirection.moved(m, TAGS, " @ h=0.5").value("moved"), 1e-12);
    }
}
