package reweigh.neural.pretrain;

import reweigh.neural.Transformer;
import java.util.List;
import reweigh.population.Catalogue;
import reweigh.population.Population;
import reweigh.world.Setting;
import reweigh.world.World;

/** Populations, worlds and small settings shared by the neural engine's pretraining and measurement tests. */
public final class Fixtures {
    private Fixtures() {}

    /** The experiments' default population: honest 0.3, perfect deceiver 0.1, sycophant 0.25, guesser 0.35. */
    public static Population defaultPopulation() {
        return population(0.30, 0.10, 0.25, 0.35);
    }

    /** honest(0.05), deceiver(leak 0, error 0.05), sycophant, guesser with these priors. */
    public static Population population(double honest, double deceiver, double sycophant, double guesser) {
        return new Population(List.of(
                new Population.Member("honest", "honest", new Catalogue.Honest(0.05), honest),
                new Population.Member("deceiver", "deceiver", new Catalogue.Deceiver(0.0, 0.05), deceiver),
                new Population.Member("sycophant", "sycophant", new Catalogue.Sycophant(), sycophant),
                new Population.Member("guesser", "guesser", new Catalogue.Guesser(), guesser)));
    }

    /** The experiments' world with {@code answers} answers: trained watched, deployed unwatched. */
    public static World world(int answers) {
        return new World(answers, 0.5, Setting.TRAIN, Setting.DEPLOY);
    }

    /**
     * A model and budget that pretrain in seconds on one thread: enough to shape the response
     * distribution (tests of measurement, caching and resuming), not to reproduce a population.
     */
    public static NeuralSettings tiny(int steps) {
        return new NeuralSettings(32, 1, 2, 2, Transformer.Positions.ROTARY, 2_000, steps, 16, 3e-3, Math.min(10, steps), 1, 2, 0.5, 0.1, 1, 5);
    }
}
