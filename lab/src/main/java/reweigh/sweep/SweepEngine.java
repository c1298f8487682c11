package reweigh.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import reweigh.run.Workspace;
import reweigh.spec.SpecError;

/**
 * Runs a sweep's cells somewhere: local threads (built in), or an engine found on the class path with
 * {@link ServiceLoader}, such as Spark from the optional {@code spark} module.
 */
public interface SweepEngine {
    /** The name {@code --engine} takes. */
    String name();

    /**
     * Runs every task, handing each result to {@code done} as it arrives (from any thread, in any order). A task
     * that throws stops the sweep; results already handed over stay handed over.
     */
    void run(List<CellTask> tasks, Settings settings, Consumer<CellTask.CellResult> done) throws Exception;

    /**
     * @param jobs      cells at once, at most (threads)
     * @param master    where a cluster engine sends its tasks, or null for its default
     * @param workspace the cache of pretrained bases, for cells that run the network
     */
    record Settings(int jobs, String master, Workspace workspace) {}

    /** The engine with this name; one that is not on the class path is a {@link SpecError} that says how to add it. */
    static SweepEngine named(String name) throws SpecError {
        List<String> known = new ArrayList<>(List.of(Threads.NAME));
        if (name.equals(Threads.NAME)) return new Threads();
        for (SweepEngine e : ServiceLoader.load(SweepEngine.class)) {
            if (e.name().equals(name)) return e;
            known.add(e.name());
        }
        String fix = name.equals("spark")
                ? "the spark engine is not on the class path: run through ./reweigh, which builds the spark module and adds it "
                        + "when you pass --engine spark (by hand: mvn -pl spark -am package, then put spark/target/reweigh-spark.jar "
                        + "and spark/target/lib/* on the class path)"
                : "unknown engine";
        throw new SpecError("--engine " + name, "", fix + "; available here: " + String.join(", ", known));
    }
}
