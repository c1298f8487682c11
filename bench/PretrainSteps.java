import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.pretrain.NeuralSettings;
import reweigh.neural.pretrain.Pretraining;
import reweigh.population.Catalogue;
import reweigh.population.Population;
import reweigh.world.Setting;
import reweigh.world.World;

/**
 * Seconds to pretrain a default base (NeuralSettings.DEFAULTS, the default population and world, seed 1) for STEPS
 * updates from fresh weights on one PyTorch thread, corpus and validation passes included: what ./reweigh all pays
 * per step of its 1-to-3-turn bases. Uses only API that commits since 2026-12-02 share, so bench/pretrain-ab.sh can
 * run it against another checkout's build. Prints seconds, the last batch's loss and the final validation loss.
 *   java -cp lab/target/reweigh.jar bench/PretrainSteps.java STEPS
 */
public class PretrainSteps {
    public static void main(String[] args) throws Exception {
        Population population = new Population(List.of(
                new Population.Member("honest", "honest", new Catalogue.Honest(0.05), 0.30),
                new Population.Member("deceiver", "deceiver", new Catalogue.Deceiver(0.0, 0.05), 0.10),
                new Population.Member("sycophant", "sycophant", new Catalogue.Sycophant(), 0.25),
                new Population.Member("guesser", "guesser", new Catalogue.Guesser(), 0.35)));
        World world = new World(4, 0.5, Setting.TRAIN, Setting.DEPLOY);
        int steps = Integer.parseInt(args[0]);
        NeuralSettings settings = NeuralSettings.DEFAULTS.withSteps(steps, Math.min(50, steps / 4));
        Path cache = Files.createTempDirectory("pretrain-steps");
        double[] losses = new double[2];
        long start = System.nanoTime();
        try (var root = Djl.newManager();
                LanguageModel model = Pretraining.base(population, world, settings, 1, cache, root, new Pretraining.Listener() {
                    @Override public void step(int step, int of, double loss, double tokensPerSecond) { losses[0] = loss; }
                    @Override public void validation(int step, int of, double loss) { losses[1] = loss; }
                })) {
            System.out.printf("seconds=%.2f loss=%.9f validation=%.9f%n", (System.nanoTime() - start) / 1e9, losses[0], losses[1]);
        }
        reweigh.io.Trees.delete(cache);
    }
}
