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

    private static int sweep(String[] grid, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("sweep", SPEC, "-q"));
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
