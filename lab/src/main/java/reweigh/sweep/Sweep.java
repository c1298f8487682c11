package reweigh.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import reweigh.run.Destination;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.run.Provenance;
import reweigh.run.Results;
import reweigh.run.RunFolder;
import reweigh.run.Runner;
import reweigh.spec.Source;
import reweigh.spec.SpecError;
import reweigh.spec.SpecReader;
import reweigh.spec.Yaml;

/**
 * A spec run once per combination of knobs and seeds. Every cell is validated before the first runs; cells whose
 * spec (same hash) is already complete in the results database are not run again, so an interrupted sweep resumes
 * by running the same command. Finished cells are recorded about once a second, each whole or not at all.
 */
public final class Sweep {
    /** How often finished cells are written to the database, in ns: one transaction holds every cell since the last. */
    private static final long RECORD_EVERY_NS = 1_000_000_000L;

    /**
     * One cell.
     *
     * @param assignment the swept keys and the seed, each with its value as YAML text
     */
    public record Cell(Map<String, String> assignment, Runner.Planned plan, String specYaml, String specSha256) {
        /** The swept keys and values as JSON, as the database's {@code runs.cell} holds them. */
        String json() {
            ObjectNode n = Yaml.JSON.createObjectNode();
            for (Map.Entry<String, String> a : assignment.entrySet()) {
                try {
                    n.set(a.getKey(), Yaml.MAPPER.readTree(a.getValue()));
                } catch (IOException e) {
                    n.put(a.getKey(), a.getValue());
                }
            }
            return n.toString();
        }
    }

    /**
     * A sweep ready to run.
     *
     * @param id    the same for the same cells, whenever the command is run: {@code runs.sweep} in the database
     * @param cells in grid order, seeds innermost; no two with the same spec
     * @param networkThreads the most PyTorch threads a cell's networks use ({@code neural.base.threads}); 0 when no cell
     *     runs the network
     */
    public record Planned(Path spec, List<String> sets, Grid grid, String title, String id, List<Cell> cells, int networkThreads) {
        /** The command that plans this sweep again (and, with the database, runs none of it twice). */
        public String command() {
            StringBuilder c = new StringBuilder("./reweigh sweep ").append(spec);
            for (String s : sets) c.append(" --set '").append(s).append('\'');
            grid.knobs().forEach((k, v) -> c.append(" --grid '").append(k).append('=').append(String.join(",", v)).append('\''));
            if (grid.seeds() > 1) c.append(" --seeds ").append(grid.seeds());
            return c.toString();
        }
    }

    /** Plans every cell: the spec with the {@code --set} overrides, then the cell's {@code --grid} values and seed. */
    public static Planned plan(Path spec, List<String> sets, Grid grid) throws SpecError {
        Source source = SpecReader.source(spec);
        Runner.Planned base = Runner.plan(source, SpecReader.sets(sets));
        long baseSeed = base.spec().seed();
        List<Cell> cells = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int networkThreads = 0;
        for (Map<String, String> combo : grid.combinations()) {
            for (int s = 0; s < grid.seeds(); s++) {
                Map<String, String> assignment = new LinkedHashMap<>(combo);
                List<SpecReader.Assignment> overrides = new ArrayList<>(SpecReader.sets(sets));
                combo.forEach((k, v) -> overrides.add(new SpecReader.Assignment("--grid", k + "=" + v)));
                if (grid.seeds() > 1) {
                    assignment.put("seed", Long.toString(baseSeed + s));
                    overrides.add(new SpecReader.Assignment("--seeds", "seed=" + (baseSeed + s)));
                }
                Runner.Planned p = Runner.plan(source, overrides);
                String yaml = p.specYaml();
                String hash = p.specSha256();
                if (seen.add(hash)) cells.add(new Cell(assignment, p, yaml, hash));
                if (p.spec().runsNeural()) networkThreads = Math.max(networkThreads, p.spec().neural().base().threads());
            }
        }
        String id = Provenance.sha256(String.join("\n", seen)).substring(0, 12);
        return new Planned(spec, List.copyOf(sets), grid, base.spec().title(), id, cells, networkThreads);
    }

    /** What a sweep did. */
    public record Done(Planned plan, int ran, int reused, Path report) {}

    /**
     * Runs the cells the database does not hold yet, records them, and writes the sweep folder {@code out}
     * (report.html from the database, so a resumed sweep reports every cell, old and new; provenance.json).
     *
     * <p>Cells are claimed in the database a few at a time ({@link Results#claim}) before they run, so two sweeps
     * of the same cells started together share them out and record each once; when every cell left is claimed by
     * another live sweep, this one waits for them, and takes over any whose sweep has died. A {@code --metric} no
     * recorded cell has is refused before any cell runs; on a fresh sweep, after the first few cells have run and
     * before anything is recorded (the names exist only once a cell has run).
     */
    public static Done run(Planned plan, SweepEngine engine, SweepEngine.Settings settings, Results results,
                           List<SweepReport.Choice> metrics, Path out, Progress progress) throws Exception {
        Set<String> complete = results.completeSpecs();
        Map<String, Integer> left = new LinkedHashMap<>(); // spec hash -> cell index, in grid order
        for (int i = 0; i < plan.cells().size(); i++) {
            if (!complete.contains(plan.cells().get(i).specSha256())) left.put(plan.cells().get(i).specSha256(), i);
        }
        int reused = plan.cells().size() - left.size();
        boolean checked = metrics.isEmpty();
        if (reused > 0 && !checked) {
            SweepReport.resolve(plan, finals(plan, results), metrics);
            checked = true;
        }
        Recorder recorder = new Recorder(plan, results, progress, reused, out);
        progress.update(reused / (double) Math.max(1, plan.cells().size()), recorder.label());
        String owner = Results.claimant();
        int ran = 0;
        try {
            while (!left.isEmpty()) {
                List<String> mine = results.claim(List.copyOf(left.keySet()), owner, CLAIM_PER_JOB * Math.max(1, settings.jobs()));
                if (mine.isEmpty()) { // the rest are another sweep's: wait for them (or for its claims to lapse)
                    left.keySet().removeAll(results.completeSpecs());
                    if (!left.isEmpty()) {
                        progress.update(recorder.fraction(), "waiting for " + left.size() + " cells another sweep is running");
                        Thread.sleep(WAIT_MS);
                    }
                    continue;
                }
                List<CellTask> tasks = new ArrayList<>();
                for (String h : mine) {
                    int index = left.remove(h);
                    tasks.add(new CellTask(index, plan.spec().toString(), plan.cells().get(index).specYaml()));
                }
                recorder.holding(!checked);
                engine.run(tasks, settings, recorder);
                ran += tasks.size();
                if (!checked) {
                    try {
                        SweepReport.resolve(plan, recorder.pendingFinals(), metrics);
                    } catch (SpecError refused) {
                        recorder.discard(); // nothing is recorded
                        throw refused;
                    }
                    checked = true;
                    recorder.holding(false);
                }
                recorder.flush();
            }
        } finally {
            recorder.flush();
            progress.done();
            results.release(owner);
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put("report.html", SweepReport.render(plan, finals(plan, results), metrics, settings, engine.name()));
        files.put("provenance.json", Provenance.sweepJson(plan.id(), plan.command(), java.time.Instant.now()));
        RunFolder.write(out, Destination.Kind.SWEEP, files);
        return new Done(plan, ran, plan.cells().size() - ran, out.resolve("report.html"));
    }

    /** Cells claimed at once, per job: enough to keep every job busy, few enough that two sweeps interleave. */
    private static final int CLAIM_PER_JOB = 2;
    /** How often a sweep waiting on another's cells looks again, in ms. */
    private static final long WAIT_MS = 1_000;

    /** Takes finished cells from the engine's workers and records them in batches; draws progress. */
    private static final class Recorder implements Consumer<CellTask.CellResult> {
        private final Planned plan;
        private final Results results;
        private final Progress progress;
        private final Path out;
        private final List<Results.Finished> pending = new ArrayList<>();
        private int finished;
        private long lastRecord = System.nanoTime();

        Recorder(Planned plan, Results results, Progress progress, int reused, Path out) {
            this.plan = plan;
            this.out = out;
            this.results = results;
            this.progress = progress;
            this.finished = reused;
        }

        private boolean holding; // while set, nothing is recorded until flush()

        synchronized void holding(boolean holding) { this.holding = holding; }

        synchronized void discard() { pending.clear(); }

        synchronized double fraction() { return finished / (double) Math.max(1, plan.cells().size()); }

        /** The last value of each metric of the cells handed over and not yet recorded, as {@link #finals} gives them. */
        synchronized Map<String, Map<String, Double>> pendingFinals() {
            Map<String, Map<String, Double>> out = new HashMap<>();
            for (Results.Finished f : pending) {
                Map<String, Double> m = out.computeIfAbsent(f.run().specSha256(), h -> new LinkedHashMap<>());
                for (Metrics.Row r : f.rows()) m.put(r.series() + '\u0000' + r.metric(), r.value());
            }
            return out;
        }

        public void accept(CellTask.CellResult r) {
            Cell cell = plan.cells().get(r.index());
            Results.Run row = Results.Run.in(out, Results.Run.newId(r.startedAt()), cell.plan().spec().experiment(),
                    cell.plan().spec().seed(), cell.specSha256(), cell.specYaml(), plan.id(), cell.json());
            Results.Finished finished = new Results.Finished(row, Metrics.parse(r.metricsCsv()).rows(), r.provenance(),
                    r.startedAt(), r.finishedAt());
            boolean due;
            synchronized (this) {
                pending.add(finished);
                this.finished++;
                progress.update(this.finished / (double) plan.cells().size(), label());
                due = !holding && System.nanoTime() - lastRecord > RECORD_EVERY_NS;
                if (due) lastRecord = System.nanoTime();
            }
            if (due) flush(); // outside the lock: other workers keep handing over cells while this one writes
        }

        String label() { return "sweep " + plan.id() + ": " + finished + "/" + plan.cells().size() + " cells"; }

        /** Records every cell handed over so far, in one transaction. */
        void flush() {
            List<Results.Finished> batch;
            synchronized (this) {
                batch = new ArrayList<>(pending);
                pending.clear();
            }
            try {
                results.record(batch);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record in " + results.file() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Final value of each metric of each cell, from the database: spec hash -> "series\u0000metric" -> value. */
    static Map<String, Map<String, Double>> finals(Planned plan, Results results) throws SQLException {
        StringBuilder in = new StringBuilder();
        for (Cell c : plan.cells()) in.append(in.length() == 0 ? "" : ", ").append('\'').append(c.specSha256()).append('\'');
        Results.Table t = results.query("SELECT r.spec_sha256, f.series, f.metric, f.value FROM runs r "
                + "JOIN final_metrics f ON f.run_id = r.id WHERE r.status = 'complete' AND r.spec_sha256 IN (" + in + ") "
                + "ORDER BY r.id DESC");
        Map<String, Map<String, Double>> finals = new HashMap<>();
        for (List<String> row : t.rows()) {
            finals.computeIfAbsent(row.get(0), h -> new LinkedHashMap<>())
                    .putIfAbsent(row.get(1) + '\u0000' + row.get(2), Double.parseDouble(row.get(3)));
        }
        return finals;
    }
}
