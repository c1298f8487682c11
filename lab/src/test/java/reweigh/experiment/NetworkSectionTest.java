package reweigh.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.measure.Verdict;
import reweigh.stats.MeanInterval;

class NetworkSectionTest {

    /**
     * Issue 16: the deployment figure drew the predictions as bars beside the measurements, told apart only by
     * a star. Now it draws what was measured as bars with their intervals, and each prediction as a line.
     */
    @Test
    void theLieRateFigureDrawsMeasurementsAsBarsAndPredictionsAsLines() {
        double[] after = {0.10, 0.12, 0.11};
        double[] base = {0.18, 0.17, 0.19};
        double[] rew = {0.20, 0.19, 0.21};
        Verdict v = Verdict.of(after, after, after, base, rew);
        NetworkSection.Reading reinforce = new NetworkSection.Reading("reinforce", after, after, after, v);
        NetworkSection.LieRates lies = new NetworkSection.LieRates(MeanInterval.of(base), MeanInterval.of(rew), 0.248, List.of(reinforce));
        String svg = lies.chart("network: lie rate", "P(lie)", 3).svg();
        assertEquals(2, svg.split("</title></rect>", -1).length - 1, "two bars, base and reinforce: " + svg);
        assertTrue(svg.contains("<title>reinforce: 0.11 ["), svg);
        assertTrue(svg.contains(">network: lie rate (mean, 95% over 3 replicates)</text>"), "the interval is named in the title, no one-entry legend");
        for (String line : List.of("tilting: no change (18%)", "reweighting (20%)", "exact kl-rl (24.8%)")) {
            assertTrue(svg.contains(">" + line + "</text>"), line + " in " + svg);
        }
    }

    /** Issue 16's prose for people: the finding names each verdict once, decided ones first, the methods under it. */
    @Test
    void aFindingGroupsTheMethodsByTheirReading() {
        double[] base = {0.18, 0.17, 0.19};
        double[] rew = {0.20, 0.19, 0.21};
        NetworkSection.Reading wide = reading("sft-filtered", new double[] {0.05, 0.30, 0.18}, base, rew);
        NetworkSection.Reading low = reading("reinforce", new double[] {0.10, 0.12, 0.11}, base, rew);
        NetworkSection.Reading lower = reading("rloo", new double[] {0.09, 0.10, 0.08}, base, rew);
        assertEquals(Verdict.Kind.INCONCLUSIVE, wide.verdict().kind());
        assertEquals(Verdict.Kind.BELOW, low.verdict().kind());
        assertEquals("below both predictions: reinforce 0.11, rloo 0.09; inconclusive at 3 replicates: sft-filtered 0.177",
                NetworkSection.byReading(List.of(wide, low, lower), r -> reweigh.report.Fmt.num(r.pooled().mean())));
    }

    private static NetworkSection.Reading reading(String label, double[] after, double[] base, double[] rew) {
        return new NetworkSection.Reading(label, after, after, after, Verdict.of(after, after, after, base, rew));
    }
}
