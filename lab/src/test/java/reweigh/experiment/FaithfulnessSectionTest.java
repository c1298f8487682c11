package reweigh.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.neural.measure.Faithfulness;
import reweigh.report.Html;
import reweigh.run.Metrics;

/** The faithfulness section's metrics and prose on a hand-made table with one missed cell. */
class FaithfulnessSectionTest {
    private static final List<String> ALGORITHMS = List.of("honest", "deceiver");
    private static final Faithfulness.Table TABLE = new Faithfulness.Table(List.of(
            new Faithfulness.Row("observed", "correct", 0.60, 0.62, 0.03),
            new Faithfulness.Row("observed", "refuse", 0.0, 0.0, 0.0),
            new Faithfulness.Row("turn-3", "correct", 0.41, 0.593, 0.2)),
            List.of(new Faithfulness.Weights("observed", ALGORITHMS, new double[] {0.75, 0.25}, new double[] {0.5, 0.5},
                    new double[] {0.55, 0.45})),
            Faithfulness.TOLERANCE, 300);

    @Test
    void emitsEachCellItsExactRateTheWeightsAndTheMissCountAtStepZero() {
        Metrics m = new Metrics();
        FaithfulnessSection.emit(m, "network:base", TABLE);
        assertEquals(0.41, m.last("network:base", "faithful.turn-3.correct"));
        assertEquals(0.593, m.last("network:base", "faithful.turn-3.correct.exact"));
        assertEquals(0.45, m.last("network:base", "faithful.observed.weight.deceiver"));
        assertEquals(0.5, m.last("network:base", "faithful.observed.weight.deceiver.exact"));
        assertEquals(1, m.last("network:base", "faithful.misses"));
        assertTrue(m.rows().stream().allMatch(r -> r.step() == 0));
        assertThrows(IllegalArgumentException.class, () -> FaithfulnessSection.emit(new Metrics(), "a,b", TABLE));
    }

    @Test
    void theVerdictNamesTheMissedCellFirstAndTheTableLeavesOutWhatNeitherWrites() {
        Html html = new Html("t");
        FaithfulnessSection.render(html, "the network base", TABLE);
        String page = html.render();
        String verdict = "the network base misses 1 of 3 cells by more than 0.05: turn-3.correct 0.41 against 0.593 (−0.183)";
        assertTrue(FaithfulnessSection.verdict("the network base", TABLE).startsWith(verdict.replace("−", "-")),
                FaithfulnessSection.verdict("the network base", TABLE));
        int note = page.indexOf("class=\"note\"");
        assertTrue(note > 0 && note < page.indexOf("<table>"), "the verdict comes before the table");
        assertTrue(page.contains("<td>turn-3</td>"), page);
        assertTrue(!page.contains("<td>refuse</td>") && page.contains("Left out of the table, 1 of 3 cells"), page);

        Faithfulness.Table passing = new Faithfulness.Table(TABLE.rows().subList(0, 2), TABLE.weights(), 0.05, 300);
        assertEquals("m reproduces the corpus in every class: all 2 rates within 0.05 of the exact ones (worst observed.correct, 0.02).",
                FaithfulnessSection.verdict("m", passing));
    }
}
