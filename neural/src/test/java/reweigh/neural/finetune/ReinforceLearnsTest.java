package reweigh.neural.finetune;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reweigh.corpus.Corpus;
import reweigh.evaluate.Evaluator;
import reweigh.finetune.KlEstimator;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.World;

/**
 * REINFORCE does what it is for: on a small model pre-trained on the population's corpus (4 answers,
 * d_model 32, 2 layers, 300 steps: it answers correctly about half the time), 100 steps raise the
 * expected reward on rewarded prompts. Measured with these seeds: 0.29 before, 0.40 after; the test
 * asks for at least +0.05, where the standard error of each 1,000-prompt mean is about 0.02.
 */
class ReinforceLearnsTest {
    private static final int ANSWERS = 4;

    @BeforeAll
    static void oneThread() { Djl.setThreads(1); }

    /** E[r | context, response] averaged over the model's responses to {@code n} rewarded prompts (a stray string scores wrong). */
    static double expectedReward(LanguageModel model, Population population, World world, Evaluator evaluator, int n, long seed) {
        Rollouts r = Rollouts.split(new Corpus(population, world, world.train(), 1, 1), evaluator, new SplittableRandom(seed));
        List<Rollouts.Prompt> prompts = r.prompts(n, 1);
        int[][] responses = r.respond(model, prompts);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            Response shown = r.read(prompts.get(i), responses[i]);
            sum += shown == null ? evaluator.wrong() : evaluator.expected(prompts.get(i).context(), shown);
        }
        return sum / n;
    }

    @Test
    void reinforceRaisesTheExpectedReward() {
        Population population = Fixtures.population();
        World world = Fixtures.world(ANSWERS);
        Evaluator evaluator = Evaluator.DEFAULTS;
        try (NDManager root = Djl.newManager();
                LanguageModel policy = LanguageModel.initialize(Fixtures.shape(ANSWERS, 32, 2), 1, DataType.FLOAT32, root)) {
            Fixtures.pretrain(policy, population, world, 300, 64, 2);
            try (LanguageModel reference = Fixtures.copy(policy, root)) {
                double before = expectedReward(policy, population, world, evaluator, 1000, 9);
                double[] lastKl = new double[1];
                Tuning.run(new NetworkMethod.Reinforce(100, 32, 1e-3, 0.1, KlEstimator.K1), policy, reference,
                        population, world, evaluator, 3, (step, scalars) -> lastKl[0] = scalars.get("kl"));
                double after = expectedReward(policy, population, world, evaluator, 1000, 9);
                System.out.printf("reinforce: expected reward %.3f -> %.3f, last step's k1 %.3f%n", before, after, lastKl[0]);
                assertTrue(after >= before + 0.05, "expected reward " + before + " -> " + after);
            }
        }
    }
}
