package reweigh.sweep;

import java.io.Serializable;
import java.time.Instant;
import reweigh.run.Progress;
import reweigh.run.Runner;
import reweigh.run.Workspace;
import reweigh.spec.SpecError;

/**
 * One sweep cell as it travels to whatever runs it (a local thread, a Spark executor): its place in the sweep
 * and its resolved spec as text, so the worker needs nothing but the reweigh jar.
 */
public record CellTask(int index, String name, String specYaml) implements Serializable {

    /** Runs the cell with no progress bar; the same spec gives the same metrics wherever it runs. */
    public CellResult run(Workspace workspace) {
        Runner.Planned plan;
        try {
            plan = Runner.plan(name, specYaml);
        } catch (SpecError e) {
            throw new IllegalStateException("a resolved spec no longer resolves: " + e.getMessage(), e);
        }
        Runner.Outcome o = new Runner(workspace, null).execute(plan, Progress.silent());
        return new CellResult(index, o.result().metrics().csv(), o.provenance(), o.started().toEpochMilli(), o.finished().toEpochMilli());
    }

    /**
     * What running a cell gives back, small and serialisable.
     *
     * @param metricsCsv the run's metrics.csv
     * @param provenance its provenance.json
     * @param started    epoch ms
     * @param finished   epoch ms
     */
    public record CellResult(int index, String metricsCsv, String provenance, long started, long finished) implements Serializable {
        public Instant startedAt() { return Instant.ofEpochMilli(started); }

        public Instant finishedAt() { return Instant.ofEpochMilli(finished); }
    }
}
