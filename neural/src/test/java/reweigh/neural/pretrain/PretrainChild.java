package reweigh.neural.pretrain;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import reweigh.neural.Djl;

/**
 * A pretraining run in its own JVM, for {@link PretrainingTest} to kill with SIGKILL mid-run.
 * Arguments: cache directory, steps, seed. Each step sleeps a little (which changes nothing in the
 * weights) so the run is still going when the test sees its first checkpoint.
 */
public final class PretrainChild {
    private PretrainChild() {}

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[0]);
        NeuralSettings settings = Fixtures.tiny(Integer.parseInt(args[1]));
        long seed = Long.parseLong(args[2]);
        try (NDManager root = Djl.newManager()) {
            Pretraining.base(Fixtures.defaultPopulation(), Fixtures.world(10), settings, seed, cache, root,
                    (step, steps, loss, tokensPerSecond) -> {
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }).close();
        }
    }
}
