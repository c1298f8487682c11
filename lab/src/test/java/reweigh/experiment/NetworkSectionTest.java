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
}
