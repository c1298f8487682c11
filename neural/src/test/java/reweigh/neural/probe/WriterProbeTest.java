package reweigh.neural.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;
import reweigh.corpus.Vocabulary;
import reweigh.population.Catalogue;
import reweigh.population.Population;
import reweigh.world.Setting;
import reweigh.world.World;

/** The writer probe reads the episode where the last answer is chosen: the episode's own tokens up to there, then {@code <ans>}. */
class WriterProbeTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void thePromptIsTheEpisodeUpToItsLastResponse(long seed) {
        Population population = new Population(List.of(
                new Population.Member("honest", "honest", Catalogue.Honest.DEFAULTS, 0.5),
                new Population.Member("sycophant", "sycophant", new Catalogue.Sycophant(), 0.5)));
        World world = World.DEFAULTS;
        Corpus corpus = new Corpus(population, world, new Setting(0.5, new double[] {1, 0, 0, 0}, 0), 1, 4);
        Vocabulary v = corpus.vocabulary();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int n = 0; n < 20; n++) {
            Episode e = corpus.episode(rng);
            int[] prompt = WriterProbe.prompt(v, e);
            int[] tokens = e.tokens(v).tokens();
            int last = e.turns().size() - 1;
            int upTo = tokens.length - 1 - Episode.response(v, e.turns().get(last)).length; // before the last response and <eos>
            assertArrayEquals(java.util.Arrays.copyOf(tokens, upTo), java.util.Arrays.copyOf(prompt, prompt.length - 1));
            assertEquals(Vocabulary.ANSWER, prompt[prompt.length - 1]);
        }
    }
}
