package reweigh.experiment;

import java.util.List;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;

/** A named procedure over a spec: runs it, and writes its metrics and its section of the report. */
public interface Experiment {
    String id();

    /** The question it answers, in one sentence. */
    String question();

    /** Checks what this experiment needs of a spec beyond what every spec needs. */
    default void check(Spec spec) throws SpecError {}

    /**
     * Runs the spec (each of its sweep cells); the workspace keeps what is costly and shared between
     * runs: pretrained base models, and partial work an interrupted run resumes from.
     */
    Result run(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace);

    /**
     * @param report   the body of the report page
     * @param summary  one sentence for the index page: the finding
     * @param headline the main figure as SVG, for the index page
     */
    record Result(Metrics metrics, reweigh.report.Html report, String summary, String headline) {}
}
