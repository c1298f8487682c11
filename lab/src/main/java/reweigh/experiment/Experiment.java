package reweigh.experiment;

import java.util.List;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;

/** A named procedure over a spec: computes its metrics, then renders its report from them. */
public interface Experiment {
    String id();

    /** The question it answers, in one sentence. */
    String question();

    /**
     * The settings this experiment reads from the spec key named after its id (e.g. {@code many-shot:}),
     * as a record whose components are the keys, with their defaults; null when it takes none. The
     * record validates its values in its compact constructor ({@link reweigh.world.Check}), so a bad
     * value is reported with the file, line and key like any other.
     */
    default Record settings() { return null; }

    /**
     * Checks what this experiment needs of a spec beyond what every spec needs; by default, a list of
     * fine-tuning methods (an experiment that tunes in its own way overrides this).
     */
    default void check(Spec spec) throws SpecError {
        if (spec.methods().isEmpty()) {
            throw spec.source().error("/finetune", "missing: a list of methods such as {method: kl-rl, beta: 0.1}");
        }
    }

    /**
     * Runs the spec (each of its sweep cells) on both engines and records in the metrics every number its report states;
     * the workspace keeps what is costly and shared between runs: pretrained base models, and partial work an
     * interrupted run resumes from.
     */
    Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace);

    /**
     * The report of the spec's run (its sweep cells as the spec gives them) from the spec and its metrics alone, loading no
     * model: what {@code reweigh report} calls on a run folder's spec.yaml and metrics.csv, and the run itself after
     * {@link #compute}, so the two write the same bytes. It may compute closed forms from the spec; it records nothing.
     */
    Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics);

    /**
     * {@link #compute}, then {@link #render}.
     *
     * @throws IllegalStateException if rendering recorded a metric: a report re-rendered from metrics.csv would lack it
     */
    default Result run(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Metrics metrics = compute(spec, cells, progress, workspace);
        int rows = metrics.rows().size();
        Result result = render(spec, cells, metrics);
        if (metrics.rows().size() != rows) {
            throw new IllegalStateException(id() + ": rendering recorded " + (metrics.rows().size() - rows) + " metrics; a report "
                    + "re-rendered from metrics.csv would not have them (record them in compute)");
        }
        return result;
    }

    /**
     * @param report   the body of the report page
     * @param summary  one sentence for the index page: the finding
     * @param headline the main figure as SVG, for the index page
     */
    record Result(Metrics metrics, reweigh.report.Html report, String summary, String headline) {}
}
