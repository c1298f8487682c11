package reweigh.sweep;

import java.nio.file.Path;
import java.util.List;
import reweigh.run.Progress;
import reweigh.run.Results;
import reweigh.run.Workspace;

/**
 * A sweep in its own JVM, for {@link SweepTest} to kill with SIGKILL midway. Arguments: database, report folder,
 * cache of pretrained bases, spec, then --grid options. Each finished cell waits a little before it is handed over (which changes no number),
 * so the sweep is still going when the test sees its first recorded cells.
 */
public final class SweepChild {
    private SweepChild() {}

    public static void main(String[] args) throws Exception {
        Grid grid = Grid.parse(List.of(args).subList(4, args.length), 1);
        Sweep.Planned plan = Sweep.plan(Path.of(args[3]), List.of(), grid);
        SweepEngine threads = SweepEngine.named("threads");
        SweepEngine slow = new SweepEngine() {
            public String name() { return "slow threads"; }

            public void run(List<CellTask> tasks, Settings settings, java.util.function.Consumer<CellTask.CellResult> done) throws Exception {
                threads.run(tasks, settings, r -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.accept(r);
                });
            }
        };
        Sweep.run(plan, slow, new SweepEngine.Settings(1, null, new Workspace(Path.of(args[2]), false)),
                new Results(Path.of(args[0])), List.of(), Path.of(args[1]), Progress.silent());
    }
}
