package reweigh.neural.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.corpus.Corpus;
import reweigh.corpus.Vocabulary;
import reweigh.evaluate.Evaluator;
import reweigh.finetune.KlEstimator;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.Trainer;
import reweigh.neural.Transformer;
import reweigh.population.Population;
import reweigh.world.Context;
import reweigh.world.World;

/** Every method runs on a tiny model, reports finite scalars, leaves the reference alone, and repeats itself from its seed. */
class TuningTest {
    private static final int ANSWERS = 4;
    private static final Transformer TINY = new Transformer(new Vocabulary(ANSWERS).size(), 16, 16, 2, 1, 2);
    private static final Population POPULATION = Fixtures.population();
    private static final World WORLD = Fixtures.world(ANSWERS);

    private static NDManager root;
    private static LanguageModel base;

    /** A tiny model that speaks the language, so that responses differ in reward and DPO has pairs. */
    @BeforeAll
    static void base() {
        Djl.setThreads(1); // bitwise reproducible
        root = Djl.newManager();
        base = LanguageModel.initialize(TINY, 1, DataType.FLOAT32, root);
        Fixtures.supervise(base, ANSWERS, 30, false, 5);
    }

    @AfterAll
    static void close() {
        base.close();
        root.close();
    }

    static Stream<NetworkMethod> methods() {
        return Stream.of(
                new NetworkMethod.SftFiltered(32, 0.5, 2, 1e-3, 8),
                new NetworkMethod.Reinforce(3, 8, 1e-3, 0.1, KlEstimator.K3),
                new NetworkMethod.Rloo(3, 4, 2, 1e-3, 0.1, KlEstimator.K1),
                new NetworkMethod.Ppo(3, 8, 1e-3, 0.1, KlEstimator.K1, 0.2, 2),
                new NetworkMethod.Dpo(32, 0.1, 1e-3, 3, 8),
                new NetworkMethod.BestOfN(2, 16, 1, 1e-3, 8));
    }

    /** Records every step's scalars and the steps it was shown the policy at (every other one). */
    private static final class Recording implements Tuning.Listener {
        int started = -1;
        final List<Map<String, Double>> steps = new ArrayList<>();
        final List<Integer> snapshots = new ArrayList<>();

        @Override public void start(NetworkMethod method, int count) { started = count; }
        @Override public void step(int step, Map<String, Double> scalars) {
            assertEquals(steps.size() + 1, step, "steps count from 1, one call each");
            steps.add(scalars);
        }
        @Override public boolean wantsSnapshot(int step) { return step % 2 == 0; }
        @Override public void snapshot(int step, LanguageModel policy) { snapshots.add(step); }
    }

    private static Recording run(NetworkMethod method, long seed) {
        try (LanguageModel policy = Fixtures.copy(base, root); LanguageModel reference = Fixtures.copy(base, root)) {
            float[] frozen = reference.parameters().get("unembed.W_U").toFloatArray();
            Recording recording = new Recording();
            Tuning.run(method, policy, reference, POPULATION, WORLD, Evaluator.DEFAULTS, seed, recording);
            assertArrayEquals(frozen, reference.parameters().get("unembed.W_U").toFloatArray(), "the reference is never trained");
            assertFalse(Arrays.equals(frozen, policy.parameters().get("unembed.W_U").toFloatArray()), "the policy is trained");
            return recording;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void reportsFiniteScalarsAndRepeatsFromItsSeed(NetworkMethod method) {
        Recording first = run(method, 42);
        assertTrue(first.started > 0, "the method has something to train on");
        assertEquals(first.started, first.steps.size());
        for (Map<String, Double> scalars : first.steps) {
            assertEquals(List.of("reward", "kl", "entropy", "loss", "invalid"), List.copyOf(scalars.keySet()).subList(0, 5));
            for (Map.Entry<String, Double> e : scalars.entrySet()) {
                assertTrue(Double.isFinite(e.getValue()), method.name() + " " + e.getKey() + " = " + e.getValue());
            }
            assertTrue(scalars.get("entropy") >= 0);
        }
        assertEquals(0, first.snapshots.get(0), "the caller sees the policy before the first update");
        assertEquals(1 + first.steps.size() / 2, first.snapshots.size());
        assertEquals(first.steps, run(method, 42).steps, "the same seed gives the same scalars");
    }

    @Test
    void k3IsNeverNegative() {
        for (Map<String, Double> scalars : run(new NetworkMethod.Reinforce(3, 8, 1e-2, 0.1, KlEstimator.K3), 1).steps) {
            assertTrue(scalars.get("kl") >= 0, "k3 = (rho - 1) - log rho >= 0");
        }
    }

    /**
     * DPO pushes the right way: on pairs where the correct answer is always preferred to the lie
     * (Y+1), the policy's log pi(correct) - log pi(lie) rises above the reference's, and the loss
     * falls below its starting value log 2. Five steps at learning rate 1e-2 gained 0.22 nats; the
     * test asks for 0.1.
     */
    @Test
    void dpoRaisesThePreferredOverTheRejectedRelativeToTheReference() {
        Vocabulary v = new Vocabulary(ANSWERS);
        List<Tuning.Pair> pairs = new ArrayList<>();
        int[][] prompts = new int[16][];
        int[][] preferred = new int[16][];
        int[][] rejected = new int[16][];
        for (int i = 0; i < 16; i++) {
            int a = i % ANSWERS, b = i / ANSWERS, y = (a + b) % ANSWERS;
            Context x = new Context(ANSWERS, true, 0, false, false);
            prompts[i] = Rollouts.tokens(v, x, new Corpus.Task(a, b, y, y));
            preferred[i] = new int[] {Vocabulary.ANSWER, v.number(y), Vocabulary.END_OF_TURN};
            rejected[i] = new int[] {Vocabulary.ANSWER, v.number((y + 1) % ANSWERS), Vocabulary.END_OF_TURN};
        }
        double[] refPreferred = Sequences.score(base, prompts, preferred).logProb();
        double[] refRejected = Sequences.score(base, prompts, rejected).logProb();
        for (int i = 0; i < 16; i++) pairs.add(new Tuning.Pair(prompts[i], preferred[i], rejected[i], refPreferred[i], refRejected[i]));

        try (LanguageModel policy = Fixtures.copy(base, root); Trainer trainer = new Trainer(policy, Tuning.settings(1e-2), 1)) {
            double firstLoss = Double.NaN, loss = Double.NaN;
            double[] margin = new double[1];
            for (int step = 0; step < 5; step++) {
                loss = Tuning.dpoStep(trainer, policy, pairs, 0.1, margin);
                if (step == 0) firstLoss = loss;
            }
            assertEquals(Math.log(2), firstLoss, 1e-5, "the policy starts at the reference");
            double[] wins = Sequences.score(policy, prompts, preferred).logProb();
            double[] losses = Sequences.score(policy, prompts, rejected).logProb();
            double gain = 0;
            for (int i = 0; i < 16; i++) gain += ((wins[i] - losses[i]) - (refPreferred[i] - refRejected[i])) / 16;
            System.out.printf("dpo: log-odds preferred:rejected above the reference by %.3f nats after 5 steps; loss %.4f -> %.4f%n",
                    gain, firstLoss, loss);
            assertTrue(gain > 0.1, "mean gain in log pi(w) - log pi(l) over the reference: " + gain);
            assertTrue(loss < firstLoss, "loss " + firstLoss + " -> " + loss);
        }
    }

    @Test
    void validatesBeforeWorking() {
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> Tuning.run(
                NetworkMethod.Reinforce.DEFAULTS, base, base, POPULATION, WORLD, Evaluator.DEFAULTS, 1, Tuning.SILENT));
        assertTrue(same.getMessage().contains("same model"), same.getMessage());
        try (LanguageModel other = Fixtures.copy(base, root)) {
            IllegalArgumentException vocabulary = assertThrows(IllegalArgumentException.class, () -> Tuning.run(
                    NetworkMethod.Reinforce.DEFAULTS, base, other, POPULATION, Fixtures.world(5), Evaluator.DEFAULTS, 1,
                    Tuning.SILENT));
            assertTrue(vocabulary.getMessage().contains("vocabSize"), vocabulary.getMessage());
        }
        try (LanguageModel short1 = LanguageModel.initialize(new Transformer(TINY.vocabSize(), 8, 16, 2, 1, 2), 1, DataType.FLOAT32, root);
                LanguageModel short2 = Fixtures.copy(short1, root)) {
            IllegalArgumentException context = assertThrows(IllegalArgumentException.class, () -> Tuning.run(
                    NetworkMethod.Reinforce.DEFAULTS, short1, short2, POPULATION, WORLD, Evaluator.DEFAULTS, 1, Tuning.SILENT));
            assertTrue(context.getMessage().contains("contextLength"), context.getMessage());
        }
    }
}
