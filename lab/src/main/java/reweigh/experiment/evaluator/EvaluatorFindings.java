package reweigh.experiment.evaluator;

import java.util.Arrays;
import reweigh.experiment.Tuner;
import reweigh.measure.Finding;

/** What the evaluator-quality sweep found for one reweighting method in one panel, as a value. */
final class EvaluatorFindings {
    private EvaluatorFindings() {}

    /**
     * The change in the log-odds across the swept knob: at the prior at every point (within {@link Tuner#INVARIANT}),
     * moved by the same amount at every point, or moved by an amount that varies with the knob.
     */
    enum Change { AT_PRIOR, SAME_SHIFT, VARIES }

    /**
     * The finding for one method from its points along the knob, in the sweep's order: numbers {@code from} and
     * {@code to}, the change in the log-odds (final minus prior) at the first and last point, and {@code xFrom} and
     * {@code xTo}, the knob's values there.
     */
    static Finding<Change> change(double[] x, double[] delta) {
        double largest = Arrays.stream(delta).map(Math::abs).max().orElse(0);
        double spread = Arrays.stream(delta).max().orElse(0) - Arrays.stream(delta).min().orElse(0);
        Change verdict = largest < Tuner.INVARIANT ? Change.AT_PRIOR : spread < Tuner.INVARIANT ? Change.SAME_SHIFT : Change.VARIES;
        int last = delta.length - 1;
        return Finding.of(verdict).with("from", delta[0]).with("to", delta[last]).with("xFrom", x[0]).with("xTo", x[last]);
    }
}
