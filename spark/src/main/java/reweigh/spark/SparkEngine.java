package reweigh.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import reweigh.run.Workspace;
import reweigh.sweep.CellTask;
import reweigh.sweep.SweepEngine;

/**
 * Sweep cells on Apache Spark: each cell one task, its result (metrics.csv and provenance as text) collected to
 * the driver, which records it in the results database. The default master is {@code local[jobs]}; a real
 * cluster's executors need the reweigh jars on their class path (e.g. spark-submit --jars).
 *
 * <p>A cell that trains the network does it on its executor, on one PyTorch thread (a task takes one core, Spark's
 * default {@code spark.task.cpus}), and pretrains or loads its bases in {@code --cache}: the same path on every
 * executor, so on a cluster a shared filesystem, where bases are keyed by their hash and a file lock lets one task
 * train each while the others wait for it.
 *
 * <p>Cells are sent in batches of a few per core, so the driver records finished cells as the sweep goes and
 * an interrupted sweep loses at most one batch.
 */
public final class SparkEngine implements SweepEngine {
    /** Cells per batch, per core the cluster offers. */
    private static final int BATCH_PER_CORE = 4;

    public String name() { return "spark"; }

    public void run(List<CellTask> tasks, Settings settings, Consumer<CellTask.CellResult> done) {
        String master = settings.master() != null ? settings.master() : "local[" + settings.jobs() + "]";
        SparkSession.Builder builder = SparkSession.builder().appName("reweigh sweep").master(master)
                .config("spark.ui.enabled", "false"); // no web server: nothing listens on a port
        if (master.startsWith("local")) builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        SparkSession spark = builder.getOrCreate();
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int batch = BATCH_PER_CORE * Math.max(1, sc.defaultParallelism());
            String cache = settings.workspace().cache().toString(); // a Path is not serialisable; its text is
            boolean resume = settings.workspace().resume();
            for (int from = 0; from < tasks.size(); from += batch) {
                List<CellTask> part = new ArrayList<>(tasks.subList(from, Math.min(tasks.size(), from + batch)));
                sc.parallelize(part, part.size()).map(task -> task.run(new Workspace(Path.of(cache), resume)))
                        .collect().forEach(done); // one partition per cell

            }
        } finally {
            spark.stop();
        }
    }
}
