package reweigh.run;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a SIGINT or SIGTERM tidies up before the JVM exits: the database row of each run in flight is
 * marked {@code interrupted} (a rerun completes it). {@link #install}
 * adds one shutdown hook; {@link #exiting} tells it the process is ending normally, so it stays silent.
 */
public final class Interrupts {
    private Interrupts() {}

    /** A run whose row is {@code incomplete} until it is recorded. */
    private record InFlight(Results results, String runId) {}

    private static final Set<InFlight> RUNS = ConcurrentHashMap.newKeySet();
    private static volatile boolean exiting;

    /** The database write a signal may wait for: longer, and the user's second kill finds it stuck. */
    private static final long WRITE_MS = 5_000;

    /** A registration that ends when closed (a run recorded or failed). */
    public interface Registration extends AutoCloseable {
        @Override void close();
    }

    public static Registration run(Results results, String runId) {
        InFlight r = new InFlight(results, runId);
        RUNS.add(r);
        return () -> RUNS.remove(r);
    }

    /** The process is about to exit on its own: the hook does nothing. */
    public static void exiting() { exiting = true; }

    /** Once, from main: a shutdown hook that runs {@link #tidy} when a signal ends the process. */
    public static void install(PrintStream err) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!exiting) tidy(err);
        }, "reweigh-interrupted"));
    }

    /** Marks every run in flight interrupted and says so in one line. */
    static void tidy(PrintStream err) {
        StringBuilder line = new StringBuilder("reweigh: interrupted");
        for (InFlight r : Set.copyOf(RUNS)) {
            Thread write = new Thread(() -> {
                try {
                    r.results().interrupted(r.runId());
                } catch (Exception e) {
                    // the row stays incomplete; a rerun completes it just the same
                }
            }, "reweigh-mark-interrupted");
            write.setDaemon(true);
            write.start();
            try {
                write.join(WRITE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            line.append("; run ").append(r.runId()).append(write.isAlive() ? " left incomplete (the database was busy)" : " marked interrupted")
                    .append(" in ").append(r.results().file());
        }
        err.println(line.append("; rerun the same command to resume"));
        err.flush();
        RUNS.clear();
    }
}
