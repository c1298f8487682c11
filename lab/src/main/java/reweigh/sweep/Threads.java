package reweigh.sweep;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Cells on local threads, {@code jobs} at a time. Each cell is its own run with its own seeded randomness. */
final class Threads implements SweepEngine {
    static final String NAME = "threads";

    public String name() { return NAME; }

    public void run(List<CellTask> tasks, Settings settings, Consumer<CellTask.CellResult> done) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.jobs()), r -> {
            Thread t = new Thread(r, "reweigh-cell");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = tasks.stream().<Future<?>>map(t -> pool.submit(() -> done.accept(t.run(settings.workspace())))).toList();
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception x ? x : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
