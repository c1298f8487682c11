package reweigh.experiment.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import reweigh.experiment.Tuner;
import reweigh.measure.Finding;

/** The three readings of a method's log-odds change along the swept knob, each on points whose answer is known. */
class EvaluatorFindingsTest {
    static final double[] DETECT = {0.0, 0.5, 1.0};

    @Test
    void noChangeAtAnyPointIsAtThePrior() {
        double tiny = Tuner.INVARIANT / 10;
        assertEquals(EvaluatorFindings.Change.AT_PRIOR, EvaluatorFindings.change(DETECT, new double[] {0, tiny, -tiny}).verdict());
    }

    @Test
    void oneChangeEverywhereIsASameShift() {
        Finding<EvaluatorFindings.Change> f = EvaluatorFindings.change(DETECT, new double[] {-0.4, -0.4, -0.4});
        assertEquals(EvaluatorFindings.Change.SAME_SHIFT, f.verdict());
        assertEquals(-0.4, f.value("from"), 0);
    }

    @Test
    void aChangeThatGrowsWithTheKnobVaries() {
        Finding<EvaluatorFindings.Change> f = EvaluatorFindings.change(DETECT, new double[] {0.2, -0.1, -0.9});
        assertEquals(EvaluatorFindings.Change.VARIES, f.verdict());
        assertEquals(0.2, f.value("from"), 0);
        assertEquals(-0.9, f.value("to"), 0);
        assertEquals(0.0, f.value("xFrom"), 0);
        assertEquals(1.0, f.value("xTo"), 0);
    }
}
