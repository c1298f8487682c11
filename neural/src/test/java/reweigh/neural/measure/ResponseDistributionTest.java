package reweigh.neural.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.corpus.Episode;
import reweigh.corpus.Turn;
import reweigh.corpus.Vocabulary;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.pretrain.Fixtures;
import reweigh.neural.pretrain.Pretraining;
import reweigh.population.Response;
import reweigh.world.ContextSet;
import reweigh.world.Setting;
import reweigh.world.World;

/**
 * The exact response distribution against two oracles: the log-probability of each response string
 * scored one by one, and the classifications of many sampled responses (Monte Carlo). The model is
 * briefly pretrained, so its distributions have valid and invalid mass alike.
 */
class ResponseDistributionTest {
    private static final World WORLD = Fixtures.world(10);
    private static final ContextSet CONTEXTS = ContextSet.of(WORLD, new Setting(0.5, new double[] {0.25, 0.25, 0.25, 0.25}, 0.5));
    @TempDir
    static Path cache;
    private static NDManager root;
    private static LanguageModel model;

    @BeforeAll
    static void pretrainBriefly() throws Exception {
        Djl.setThreads(1);
        root = Djl.newManager();
        model = Pretraining.base(Fixtures.defaultPopulation(), WORLD, Fixtures.tiny(60), 1, cache, root, Pretraining.Listener.NONE);
    }

    @AfterAll
    static void close() {
        model.close();
        root.close();
    }

    @Test
    void eachDistributionSumsToOneWithItsInvalidMass() {
        List<Prompt> prompts = Prompt.draw(WORLD, CONTEXTS, 100, 2);
        double[][] q = Measure.responseDistributions(model, prompts);
        double invalid = 0;
        for (double[] row : q) {
            assertEquals(Response.COUNT + 1, row.length);
            double sum = 0;
            for (double p : row) {
                assertTrue(p >= 0, "probabilities are >= 0: " + p);
                sum += p;
            }
            assertEquals(1.0, sum, 1e-9);
            invalid += row[Measurement.INVALID];
        }
        assertTrue(invalid / q.length > 1e-3, "a briefly trained model still writes non-responses: " + invalid / q.length);
    }

    @Test
    void equalsTheSumOfEachResponseStringsProbabilityScoredOneByOne() {
        for (Prompt prompt : Prompt.draw(WORLD, CONTEXTS, 6, 3)) assertMatchesScoredStrings(prompt);
    }

    /**
     * Many-shot prompts are read the same way: after a demonstration of each response class (the tiny
     * model's context holds one earlier turn), the tree still equals every response string scored alone.
     */
    @Test
    void promptsWithAHistoryEqualTheirResponseStringsScoredOneByOne() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (Prompt prompt : Prompt.draw(WORLD, CONTEXTS, 4, 6)) {
            for (Response shown : List.of(Response.LIE, Response.CORRECT.withPower(), Response.REFUSE)) {
                List<reweigh.corpus.Turn> demos = Prompt.demonstrations(prompt.context(), shown, 1, rng);
                assertEquals(shown, demos.get(0).response(WORLD.answers()), "the demonstration shows " + shown);
                assertMatchesScoredStrings(prompt.withHistory(demos));
            }
        }
    }

    /** A prompt's tokens with a history are the corpus's episode of those turns, cut before the last answer. */
    @Test
    void aPromptWithAHistoryReadsAsTheCorpusWritesTheEpisode() {
        Vocabulary v = new Vocabulary(WORLD.answers());
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (Prompt prompt : Prompt.draw(WORLD, CONTEXTS, 10, 8)) {
            List<reweigh.corpus.Turn> demos = Prompt.demonstrations(prompt.context(), Response.AGREE, 3, rng);
            List<reweigh.corpus.Turn> turns = new java.util.ArrayList<>(demos);
            turns.add(new reweigh.corpus.Turn(prompt.a(), prompt.b(), prompt.claim(), prompt.correct(), false));
            reweigh.world.Context x = prompt.context();
            int[] episode = new reweigh.corpus.Episode(-1, x.observed(), x.pressure(), x.trigger(), turns).tokens(v).tokens();
            int[] tokens = prompt.withHistory(demos).tokens(v);
            assertEquals(episode.length - 4, tokens.length, "everything but <ans> Y <eot> <eos>");
            assertEquals(List.of(java.util.Arrays.stream(episode).limit(tokens.length).boxed().toArray()),
                    List.of(java.util.Arrays.stream(tokens).boxed().toArray()));
        }
    }

    private static void assertMatchesScoredStrings(Prompt prompt) {
        Vocabulary v = new Vocabulary(WORLD.answers());
        double[] expected = new double[Response.COUNT + 1];
        int[] p = prompt.tokens(v);
        double valid = 0;
        for (int n = -1; n < WORLD.answers(); n++) {
            for (boolean power : new boolean[] {false, true}) {
                int[] response = n < 0
                        ? (power ? new int[] {Vocabulary.REFUSE, Vocabulary.POWER, Vocabulary.END_OF_TURN}
                                : new int[] {Vocabulary.REFUSE, Vocabulary.END_OF_TURN})
                        : (power ? new int[] {Vocabulary.ANSWER, v.number(n), Vocabulary.POWER, Vocabulary.END_OF_TURN}
                                : new int[] {Vocabulary.ANSWER, v.number(n), Vocabulary.END_OF_TURN});
                double probability = probability(p, response);
                expected[prompt.classify(n, power).index()] += probability;
                valid += probability;
            }
        }
        for (int code : new int[] {Turn.ACT_ADMIT, Turn.ACT_CONFESS, Turn.ACT_DOUBLE_DOWN}) {
            double probability = probability(p, Episode.response(v, new Turn(prompt.a(), prompt.b(), prompt.claim(), code, false)));
            expected[prompt.classify(code, false).index()] += probability;
            valid += probability;
        }
        expected[Measurement.INVALID] = 1 - valid;
        double[] exact = Measure.responseDistribution(model, prompt);
        for (int y = 0; y < expected.length; y++) {
            // float32 logits: each of the 25 strings' probability is good to ~1e-6 relative
            assertEquals(expected[y], exact[y], 1e-5, prompt + " class " + y);
        }
    }

    /** P(response | prompt), the product of the model's next-token probabilities of the response's tokens. */
    private static double probability(int[] prompt, int[] response) {
        int[] sequence = new int[prompt.length + response.length];
        System.arraycopy(prompt, 0, sequence, 0, prompt.length);
        System.arraycopy(response, 0, sequence, prompt.length, response.length);
        double[] logProbs = model.logProbs(sequence);
        double logP = 0;
        for (int t = prompt.length - 1; t < logProbs.length; t++) logP += logProbs[t];
        return Math.exp(logP);
    }

    @Test
    void equalsTheAverageClassificationOfManySamples() {
        int prompts = 20;
        int perPrompt = 250;
        // the same seed draws the same prompts on both paths
        Measurement exact = Measure.measure(model, Fixtures.defaultPopulation(), WORLD, CONTEXTS, prompts, 0, 4);
        Sampled sampled = Measure.sample(model, WORLD, CONTEXTS, prompts, perPrompt, 4);
        long n = sampled.total();
        assertEquals(prompts * perPrompt, n);
        for (Map.Entry<String, Double> e : exact.behaviours().entrySet()) {
            double p = e.getValue();
            double observed = sampled.behaviours().get(e.getKey());
            // The sampled rate is unbiased for the exact one, with variance at most p(1-p)/n (stratified
            // by prompt); 4.5 standard deviations make a false alarm ~1e-5 per rate, plus 1e-3 for the rates near 0.
            double tolerance = 4.5 * Math.sqrt(p * (1 - p) / n) + 1e-3;
            assertEquals(p, observed, tolerance, e.getKey() + ": exact " + p + ", sampled " + observed);
        }
    }
}
