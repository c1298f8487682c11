package reweigh.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.cli.Main;
import reweigh.run.Results;
import reweigh.sweep.SweepEngine;

/** The same sweep through Spark local[2] and through local threads gives the same numbers, to the bit. */
class SparkSweepTest {
    static final String SPEC = Path.of("..", "lab", "src", "test", "resources", "sweep-exact.yaml").toString();

    @Test
    void theLabFindsSparkOnTheClassPath() throws Exception {
        assertTrue(SweepEngine.named("spark") instanceof SparkEngine);
    }

    @Test
    void sparkAndThreadsGiveByteIdenticalMetrics(@TempDir Path dir) throws Exception {
        String[] grid = {"--grid", "evaluator.detect=0,0.5,1", "--grid", "population.deceiver.leak=0,0.2", "--seeds", "2"};
        Path viaSpark = dir.resolve("spark.duckdb");
        Path viaThreads = dir.resolve("threads.duckdb");
        assertEquals(0, sweep(grid, "--engine", "spark", "--master", "local[2]", "--db", viaSpark.toString(), "--out", dir.resolve("s").toString()));
        assertEquals(0, sweep(grid, "--engine", "threads", "--jobs", "2", "--db", viaThreads.toString(), "--out", dir.resolve("t").toString()));
        List<List<String>> spark = metricsByCell(new Results(viaSpark));
        assertFalse(spark.isEmpty());
        assertEquals(spark, metricsByCell(new Results(viaThreads)));
        assertEquals(List.of(List.of("12")), new Results(viaSpark).query("SELECT count(*) FROM sweep_cells").rows(), "3 × 2 knobs × 2 seeds");
        assertTrue(Files.readString(dir.resolve("s/report.html")).contains("Engine: spark at local[2]"));
    }

    /**
     * Cells that train the network, as Spark tasks on local[2], give the metrics two local threads give, to the bit:
     * each task pretrains its bases in the cache it is given (one per engine here, so neither loads the other's) on one
     * PyTorch thread.
     */
    @Test
    void networkCellsOnSparkGiveTheMetricsOfThreads(@TempDir Path dir) throws Exception {
        String[] grid = {"--grid", "neural.seed=1,2"};
        Path viaSpark = dir.resolve("spark.duckdb");
        Path viaThreads = dir.resolve("threads.duckdb");
        assertEquals(0, sweep(NEURAL, grid, "--engine", "spark", "--master", "local[2]", "--db", viaSpark.toString(),
                "--out", dir.resolve("s").toString(), "--cache", dir.resolve("spark-cache").toString()));
        assertEquals(0, sweep(NEURAL, grid, "--engine", "threads", "--jobs", "2", "--db", viaThreads.toString(),
                "--out", dir.resolve("t").toString(), "--cache", dir.resolve("threads-cache").toString()));
        List<List<String>> spark = metricsByCell(new Results(viaSpark));
        assertTrue(spark.stream().anyMatch(row -> row.get(2).startsWith("neural:")), "the cells measured networks");
        assertEquals(spark, metricsByCell(new Results(viaThreads)));
        try (var bases = Files.list(dir.resolve("spark-cache"))) {
            // replicate r of neural.seed s is pretrained with seed s + r: seeds 1-2 and 2-3, so the two tasks share base 2
            assertEquals(3, bases.filter(Files::isDirectory).count(), "the bases of seeds 1, 2 and 3, each pretrained once, in the given cache");
        }
    }

    static final String NEURAL = Path.of("..", "lab", "src", "test", "resources", "tiny-neural.yaml").toString();

    private static int sweep(String[] grid, String... more) {
        return sweep(SPEC, grid, more);
    }

    private static int sweep(String spec, String[] grid, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("sweep", spec, "-q"));
        args.addAll(List.of(grid));
        args.addAll(List.of(more));
        return Main.execute(args.toArray(String[]::new));
    }

    /** Every metric row of every cell, keyed by the cell's spec, in metrics.csv order; values as Double.toString writes them. */
    static List<List<String>> metricsByCell(Results results) throws Exception {
        return results.query("SELECT r.spec_sha256, m.\"row\", m.series, m.step, m.metric, m.value FROM metrics m "
                + "JOIN runs r ON r.id = m.run_id WHERE r.status = 'complete' ORDER BY r.spec_sha256, m.\"row\"").rows();
    }
}
