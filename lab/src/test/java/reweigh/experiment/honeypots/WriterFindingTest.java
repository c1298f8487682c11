package reweigh.experiment.honeypots;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.experiment.Specs;
import reweigh.experiment.honeypots.WriterFinding.Writer;
import reweigh.measure.Finding;
import reweigh.neural.probe.LinearProbe;
import reweigh.neural.probe.WriterProbe;
import reweigh.spec.Spec;
import reweigh.stats.Binomial;
import reweigh.stats.Difference;

/** The writer probe's verdict is read off the Wilson intervals against chance, watched and in the unwatched control. */
class WriterFindingTest {
    static WriterProbe probe(boolean observed, long correct, long total, double chance) {
        return new WriterProbe(observed, new LinearProbe.Accuracy(correct, total, Binomial.wilson(correct, total)), chance, new Difference(0.1, 0.05));
    }

    @Test
    void theVerdictFollowsTheIntervals() throws Exception {
        Spec spec = Specs.exact("honeypots");
        // 753 of 1,000 against chance 0.723: Wilson [0.725, 0.779] clears it; 740 of 1,000: [0.712, 0.766] does not
        assertEquals(Writer.HIDDEN_WHEN_WATCHED, WriterFinding.of(spec, List.of(List.of(probe(true, 740, 1000, 0.723), probe(false, 830, 1000, 0.731)))).verdict());
        assertEquals(Writer.SEEN_WHEN_WATCHED, WriterFinding.of(spec, List.of(List.of(probe(true, 753, 1000, 0.723), probe(false, 830, 1000, 0.731)))).verdict());
        assertEquals(Writer.NOT_REPRESENTED, WriterFinding.of(spec, List.of(List.of(probe(true, 753, 1000, 0.723), probe(false, 735, 1000, 0.731)))).verdict());
    }

    /** Over replicates the interval is Student-t over their accuracies: 0.74, 0.76, 0.75, 0.77 has mean 0.755, half-width 0.0205. */
    @Test
    void overReplicatesTheIntervalIsOverTheirAccuracies() throws Exception {
        Spec spec = Specs.exact("honeypots");
        List<List<WriterProbe>> four = new java.util.ArrayList<>();
        for (long c : new long[] {740, 760, 750, 770}) four.add(List.of(probe(true, c, 1000, 0.723), probe(false, 830, 1000, 0.731)));
        Finding<Writer> f = WriterFinding.of(spec, four);
        assertEquals(0.755, f.value("watched"), 1e-12);
        assertEquals(3.182446305 * Math.sqrt(0.000166666667 / 4), f.number("watched").halfWidth(), 1e-6);
        assertEquals(Writer.SEEN_WHEN_WATCHED, f.verdict(), "[0.7345, 0.7755] clears chance 0.723, though 740 of 1,000 alone does not");
    }

    @Test
    void theRatersEffectIsTheGapOverBeta() throws Exception {
        Spec spec = Specs.exact("honeypots", "finetune[0].beta=0.5");
        Finding<Writer> f = WriterFinding.of(spec, List.of(List.of(probe(true, 740, 1000, 0.723), probe(false, 830, 1000, 0.731))));
        assertEquals(0.1 / 0.5, f.value("gap"), 1e-12);
        assertEquals(Binomial.Z95 * 0.05 / 0.5, f.value("gapHalf"), 1e-12);
        assertEquals(0.74, f.value("watched"), 1e-12);
    }
}
