package reweigh.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.cli.Main;
import reweigh.run.Results;

/** Sweeps through the command line: the report, resuming after SIGKILL, two writers at once, parallel determinism. */
class SweepTest {
    static final String SPEC = Path.of("src", "test", "resources", "sweep-exact.yaml").toString();
    static final String DETECT = "evaluator.detect=" + values(10, 0.1);
    static final String LEAK = "population.deceiver.leak=" + values(10, 0.05);

    /** n values 0, step, 2·step, ... as --grid writes them. */
    static String values(int n, double step) {
        return IntStream.range(0, n).mapToObj(i -> Double.toString(Math.round(i * step * 100) / 100.0)).collect(Collectors.joining(","));
    }

    /** A JVM on this test's class path running {@code main} with {@code args}, its output in {@code log}. */
    static Process jvm(Path log, Class<?> main, String... args) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static int sweep(String... args) {
        return sweepOf(SPEC, args);
    }

    static int sweepOf(String spec, String... args) {
        List<String> all = new ArrayList<>(List.of("sweep", spec, "-q"));
        all.addAll(List.of(args));
        return Main.execute(all.toArray(String[]::new));
    }

    @Test
    void aHundredCellsWithThreeSeedsRunFromOneCommandAndTheReportOpensWithAHeatmap(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("reweigh.duckdb");
        assertEquals(0, sweep("--grid", DETECT, "--grid", LEAK, "--seeds", "3", "--jobs", "2", "--db", db.toString(),
                "--out", dir.resolve("sweep").toString()));
        Results results = new Results(db);
        assertEquals(List.of(List.of("300", "300")),
                results.query("SELECT count(*), count(DISTINCT spec_sha256) FROM sweep_cells").rows());
        assertEquals(List.of(List.of("100", "3")), results.query("SELECT count(DISTINCT cell->>'evaluator.detect' || '/' || "
                + "(cell->>'population.deceiver.leak')), count(DISTINCT seed) FROM sweep_cells").rows());
        String report = Files.readString(dir.resolve("sweep/report.html"));
        int heatmap = report.indexOf("<svg");
        assertTrue(heatmap > 0 && report.substring(heatmap, report.indexOf("</svg>", heatmap)).contains("evaluator.detect=0.9, population.deceiver.leak=0.45: "),
                "the first figure is the heatmap, one cell per detect × leak");
        assertTrue(report.indexOf("<svg") < report.indexOf("<h2"), "the heatmap comes before every section");
        assertTrue(report.contains("95% Student-t interval over seeds"), "the report says what its intervals are");
    }

    @Test
    void aKilledSweepResumesWithOnlyTheMissingCellsAndEachCellOnce(@TempDir Path dir) throws Exception {
        killedAndResumed(dir, SPEC, "evaluator.detect=" + values(12, 0.08), 12);
    }

    /** The same with cells that train the network: 6 tiny deployments of 2 replicates each, their bases in one cache. */
    @Test
    void aKilledNetworkSweepResumesWithOnlyTheMissingCellsAndEachCellOnce(@TempDir Path dir) throws Exception {
        killedAndResumed(dir, Path.of("src", "test", "resources", "tiny-neural.yaml").toString(), "neural.seed=1,2,3,4,5,6", 6);
    }

    /** Kills a sweep of {@code cells} cells after its first two, reruns it, and checks each cell is recorded once, as a fresh run gives it. */
    private static void killedAndResumed(Path dir, String spec, String grid, int cells) throws Exception {
        Path db = dir.resolve("reweigh.duckdb");
        String detect = grid;
        String cache = dir.resolve("cache").toString();
        Process child = jvm(dir.resolve("child.log"), SweepChild.class, db.toString(), dir.resolve("killed").toString(), cache, spec, detect);
        Results results = new Results(db);
        int recorded = 0;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (child.isAlive() && recorded < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                if (Files.exists(db)) recorded = results.completeSpecs().size();
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            child.waitFor(30, TimeUnit.SECONDS);
        }
        recorded = results.completeSpecs().size();
        assertTrue(recorded >= 2 && recorded < cells, "killed midway, after " + recorded + " of " + cells + " cells: "
                + Files.readString(dir.resolve("child.log")));
        assertEquals(List.of(), results.query("SELECT id FROM runs r WHERE NOT EXISTS (SELECT 1 FROM metrics WHERE run_id = r.id)").rows(),
                "every recorded cell has its metrics: no half-written run");

        // The same command again runs only the missing cells; the database then holds each cell once.
        List<List<String>> before = results.query("SELECT id FROM runs ORDER BY id").rows();
        assertEquals(0, sweepOf(spec, "--grid", detect, "--db", db.toString(), "--out", dir.resolve("resumed").toString(), "--cache", cache));
        assertEquals(List.of(List.of(Integer.toString(cells), Integer.toString(cells))),
                results.query("SELECT count(*), count(DISTINCT spec_sha256) FROM runs").rows());
        List<List<String>> after = results.query("SELECT id FROM runs ORDER BY id").rows();
        assertTrue(after.containsAll(before), "the cells recorded before the kill were kept, not run again");

        // And cells in parallel or resumed give the same numbers, to the bit, as one uninterrupted run on two threads.
        Path fresh = dir.resolve("fresh.duckdb");
        assertEquals(0, sweepOf(spec, "--grid", detect, "--jobs", "2", "--db", fresh.toString(), "--out", dir.resolve("fresh").toString(),
                "--cache", dir.resolve("fresh-cache").toString()));
        assertEquals(metricsByCell(results), metricsByCell(new Results(fresh)));
    }

    @Test
    void aCellIsItsResolvedSpecHoweverItsNumbersAreWritten(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("reweigh.duckdb");
        assertEquals(0, sweep("--grid", "evaluator.detect=0,0.5", "--db", db.toString(), "--out", dir.resolve("a").toString()));
        assertEquals(0, sweep("--grid", "evaluator.detect=0.0,0.50", "--db", db.toString(), "--out", dir.resolve("b").toString()));
        assertEquals(List.of(List.of("2")), new Results(db).query("SELECT count(*) FROM runs").rows(), "the second sweep ran nothing");

        // Another figure from the same cells: --metric, checked against what the cells recorded.
        assertEquals(0, sweep("--grid", "evaluator.detect=0,0.5", "--metric", "deploy.lie@reinforce", "--db", db.toString(),
                "--out", dir.resolve("c").toString()));
        assertTrue(Files.readString(dir.resolve("c/report.html")).contains("deploy.lie (reinforce)"));
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(2, sweep("--grid", "evaluator.detect=0,0.5", "--metric", "deploy.lye", "--db", db.toString(),
                    "--out", dir.resolve("d").toString()));
        } finally {
            System.setErr(err);
        }
        String message = captured.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
        assertTrue(message.startsWith("reweigh: --metric deploy.lye: no such metric; metrics: ") && message.contains("deploy.lie"), message);
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void twoIdenticalSweepsAtOnceShareTheCellsAndRecordEachOnce(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("reweigh.duckdb");
        List<Process> sweeps = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            sweeps.add(jvm(dir.resolve(name + ".log"), Main.class, "sweep", SPEC, "--grid", "evaluator.detect=" + values(12, 0.08),
                    "--jobs", "1", "--db", db.toString(), "--out", dir.resolve(name).toString()));
        }
        for (int i = 0; i < 2; i++) {
            assertTrue(sweeps.get(i).waitFor(180, TimeUnit.SECONDS), "a sweep finished");
            assertEquals(0, sweeps.get(i).exitValue(), Files.readString(dir.resolve(i == 0 ? "a.log" : "b.log")));
        }
        Results results = new Results(db);
        assertEquals(List.of(List.of("12", "12")), results.query("SELECT count(*), count(DISTINCT spec_sha256) FROM runs").rows(),
                "each cell ran and was recorded once: " + Files.readString(dir.resolve("a.log")) + Files.readString(dir.resolve("b.log")));
        assertEquals(List.of(List.of("0")), results.query("SELECT count(*) FROM claims").rows(), "both gave their claims up");
        assertTrue(Files.exists(dir.resolve("a/report.html")) && Files.exists(dir.resolve("b/report.html")), "both wrote the whole report");
    }

    @Test
    void cellsClaimedByALiveSweepAreWaitedForAndTakenOverWhenItDies(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("reweigh.duckdb");
        Results results = new Results(db);
        Sweep.Planned plan = Sweep.plan(Path.of(SPEC), List.of(), Grid.parse(List.of("evaluator.detect=0,0.5,1"), 1));
        List<String> cells = plan.cells().stream().map(Sweep.Cell::specSha256).toList();
        Process other = new ProcessBuilder("sleep", "120").start(); // stands in for a sweep that claimed two cells
        String owner = other.pid() + "@" + java.net.InetAddress.getLocalHost().getHostName() + "#other";
        assertEquals(cells.subList(0, 2), results.claim(cells, owner, 2));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Sweep.Done> sweep = pool.submit(() -> Sweep.run(plan, SweepEngine.named("threads"),
                    new SweepEngine.Settings(1, null, new reweigh.run.Workspace(dir.resolve("cache"), false)), results, List.of(),
                    dir.resolve("out"), reweigh.run.Progress.silent()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (results.completeSpecs().size() < 1 && System.nanoTime() < deadline) Thread.sleep(100);
            Thread.sleep(1500);
            assertEquals(java.util.Set.of(cells.get(2)), results.completeSpecs(), "the unclaimed cell ran, the claimed ones wait");
            assertTrue(!sweep.isDone(), "the sweep waits for the other's cells");
            other.destroyForcibly().waitFor();
            Sweep.Done done = sweep.get(60, TimeUnit.SECONDS);
            assertEquals(3, done.ran(), "the dead sweep's cells were taken over");
            assertEquals(java.util.Set.copyOf(cells), results.completeSpecs());
        } finally {
            other.destroyForcibly();
            pool.shutdownNow();
        }
    }

    @Test
    void aMetricNoCellHasIsRefusedBeforeAFreshSweepRecordsAnything(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("reweigh.duckdb");
        assertEquals(2, sweep("--grid", "evaluator.detect=" + values(12, 0.08), "--metric", "nosuch@kl-rl", "--jobs", "1",
                "--db", db.toString(), "--out", dir.resolve("s").toString()));
        Results results = new Results(db);
        assertEquals(List.of(List.of("0")), results.query("SELECT count(*) FROM runs").rows(), "nothing recorded");
        assertEquals(List.of(List.of("0")), results.query("SELECT count(*) FROM claims").rows(), "no claim left behind");
        assertTrue(!Files.exists(dir.resolve("s")), "no sweep folder");
    }

    /** Every metric row of every cell, keyed by the cell's spec, in metrics.csv order. */
    static List<List<String>> metricsByCell(Results results) throws Exception {
        return results.query("SELECT r.spec_sha256, m.\"row\", m.series, m.step, m.metric, m.value FROM metrics m "
                + "JOIN runs r ON r.id = m.run_id WHERE r.status = 'complete' ORDER BY r.spec_sha256, m.\"row\"").rows();
    }

    @Test
    void twoProcessesWritingAtOnceLoseNothing(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("reweigh.duckdb");
        List<Process> writers = new ArrayList<>();
        for (String seed : List.of("seed=100", "seed=200")) {
            writers.add(jvm(dir.resolve(seed + ".log"), Main.class, "sweep", SPEC, "-q", "--set", seed, "--grid",
                    "evaluator.detect=" + values(5, 0.2), "--seeds", "2", "--jobs", "1", "--db", db.toString(), "--out", dir.resolve(seed).toString()));
        }
        for (Process w : writers) {
            assertTrue(w.waitFor(180, TimeUnit.SECONDS), "a writer finished");
            assertEquals(0, w.exitValue(), Files.readString(dir.resolve(w == writers.get(0) ? "seed=100.log" : "seed=200.log")));
        }
        Results results = new Results(db);
        assertEquals(List.of(List.of("20", "20", "2")), results.query("SELECT count(*), count(DISTINCT spec_sha256), "
                + "count(DISTINCT sweep) FROM runs WHERE status = 'complete'").rows());
        assertEquals(List.of(), results.query("SELECT id FROM runs r WHERE NOT EXISTS (SELECT 1 FROM metrics WHERE run_id = r.id)").rows());
    }
}
