package reweigh.run;

import java.nio.file.Path;

/**
 * Where costly work outlives a run: pretrained base models (shared by every spec with the same
 * population, world and neural settings) and the checkpoints of unfinished pretraining.
 *
 * @param cache  the folder (default {@code runs/.cache})
 * @param resume continue unfinished pretraining from its last checkpoint; otherwise start it afresh
 */
public record Workspace(Path cache, boolean resume) {
    public static final Path DEFAULT_CACHE = Path.of("runs", ".cache");
}
