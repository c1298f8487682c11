package reweigh.neural.pretrain;

import reweigh.neural.Transformer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.population.Catalogue;
import reweigh.population.Population;
import reweigh.world.Setting;
import reweigh.world.World;

/** The pretraining cache and resumption. Reproduction of the population is in {@link ReproductionTest}. */
class PretrainingTest {
    private static final Population POPULATION = Fixtures.defaultPopulation();
    private static final World WORLD = Fixtures.world(10);

    @BeforeAll
    static void oneThread() {
        Djl.setThreads(1); // bitwise reproducibility
    }

    /** Counts what the listener hears. */
    static final class Recorder implements Pretraining.Listener {
        final List<Double> losses = new ArrayList<>();
        final List<Integer> validations = new ArrayList<>();
        int resumedAt = -1;
        boolean cached;

        @Override public void step(int step, int steps, double loss, double tokensPerSecond) {
            assertTrue(tokensPerSecond > 0, "tokens/s " + tokensPerSecond);
            losses.add(loss);
        }
        @Override public void validation(int step, int steps, double loss) {
            assertTrue(loss > 0 && Double.isFinite(loss), "validation loss " + loss);
            validations.add(step);
        }
        @Override public void resumed(int step, int steps) { resumedAt = step; }
        @Override public void cached(Path model) { cached = true; }
        final List<String> setAside = new ArrayList<>();
        @Override public void setAside(Path unreadable, Path aside, String why) { setAside.add(why + " -> " + aside.getFileName()); }
    }

    /**
     * A truncated cached model or checkpoint is named, moved aside (kept for a look) and made again: the base that
     * comes back is the one an untouched cache gives, bit for bit on one thread.
     */
    @Test
    void aTruncatedModelOrCheckpointIsNamedMovedAsideAndRebuilt(@TempDir Path cache) throws Exception {
        NeuralSettings settings = Fixtures.tiny(20);
        String key = Pretraining.key(POPULATION, WORLD, settings, 3);
        Path model = cache.resolve(key).resolve(Pretraining.MODEL_FILE);
        try (NDManager root = Djl.newManager()) {
            Map<String, float[]> trained;
            try (LanguageModel m = Pretraining.base(POPULATION, WORLD, settings, 3, cache, root, new Recorder())) {
                trained = weights(m);
            }
            byte[] whole = Files.readAllBytes(model);
            Files.write(model, java.util.Arrays.copyOf(whole, whole.length / 2));
            // an unfinished pretraining of the same base whose checkpoint holds something else
            Path partial = Files.createDirectories(cache.resolve(key + ".partial"));
            Files.write(partial.resolve("checkpoint.bin"), java.util.Arrays.copyOf(whole, 100));

            Recorder again = new Recorder();
            try (LanguageModel m = Pretraining.base(POPULATION, WORLD, settings, 3, cache, root, again)) {
                assertEquals(2, again.setAside.size(), again.setAside.toString());
                assertTrue(again.setAside.get(0).startsWith(model + " is truncated"), again.setAside.get(0));
                assertTrue(again.setAside.get(0).endsWith(key + ".corrupt-1"), again.setAside.get(0));
                assertTrue(again.setAside.get(1).startsWith(partial.resolve("checkpoint.bin") + " cannot be read: "), again.setAside.get(1));
                assertTrue(again.setAside.get(1).endsWith(key + ".partial.corrupt-1"), again.setAside.get(1));
                assertFalse(again.cached);
                assertEquals(-1, again.resumedAt, "a checkpoint that cannot be read is not resumed from");
                assertEquals(20, again.losses.size(), "pretrained again from the start");
                Map<String, float[]> rebuilt = weights(m);
                for (String name : trained.keySet()) assertArrayEquals(trained.get(name), rebuilt.get(name), name);
            }
            assertEquals(whole.length / 2, Files.size(cache.resolve(key + ".corrupt-1").resolve(Pretraining.MODEL_FILE)));
        }
    }

    @Test
    void secondCallLoadsTheCachedModelInsteadOfTraining(@TempDir Path cache) throws Exception {
        NeuralSettings settings = Fixtures.tiny(30);
        try (NDManager root = Djl.newManager()) {
            Recorder first = new Recorder();
            Map<String, float[]> trained;
            try (LanguageModel model = Pretraining.base(POPULATION, WORLD, settings, 3, cache, root, first)) {
                trained = weights(model);
            }
            assertEquals(30, first.losses.size());
            assertEquals(List.of(3, 6, 9, 12, 15, 18, 21, 24, 27, 30), first.validations, "validation every 10%");
            assertFalse(first.cached);
            String key = Pretraining.key(POPULATION, WORLD, settings, 3);
            assertTrue(Files.exists(cache.resolve(key).resolve(Pretraining.MODEL_FILE)));
            assertEquals(Pretraining.description(POPULATION, WORLD, settings, 3),
                    Files.readString(cache.resolve(key).resolve(Pretraining.DESCRIPTION_FILE)));
            assertFalse(Files.exists(cache.resolve(key + ".partial")), "the checkpoints are gone once the model is written");

            Recorder second = new Recorder();
            long start = System.nanoTime();
            try (LanguageModel model = Pretraining.base(POPULATION, WORLD, settings, 3, cache, root, second)) {
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(second.cached, "loaded from the cache");
                assertEquals(List.of(), second.losses, "no training step");
                assertTrue(seconds < 2, "loading takes " + seconds + " s");
                Map<String, float[]> loaded = weights(model);
                assertEquals(trained.keySet(), loaded.keySet());
                for (String name : trained.keySet()) assertArrayEquals(trained.get(name), loaded.get(name), name);
            }
        }
    }

    @Test
    void everyInputThatShapesTheWeightsChangesTheKeyAndNothingElseDoes() {
        NeuralSettings s = Fixtures.tiny(30);
        String key = Pretraining.key(POPULATION, WORLD, s, 3);
        List<String> changed = List.of(
                Pretraining.key(POPULATION, WORLD, s, 4),
                Pretraining.key(Fixtures.population(0.31, 0.09, 0.25, 0.35), WORLD, s, 3),
                Pretraining.key(leakyDeceiver(), WORLD, s, 3),
                Pretraining.key(POPULATION, Fixtures.world(11), s, 3),
                Pretraining.key(POPULATION, new World(10, 0.4, Setting.TRAIN, Setting.DEPLOY), s, 3),
                Pretraining.key(POPULATION, WORLD, Fixtures.tiny(31), 3),
                Pretraining.key(POPULATION, WORLD, new NeuralSettings(32, 1, 2, 2, Transformer.Positions.ROTARY, 2_000, 30, 16, 3e-3, 10, 1, 2, 0.6, 0.1, 1, 5), 3));
        for (String other : changed) assertNotEquals(key, other);
        assertEquals(changed.size(), changed.stream().distinct().count());

        // speed, checkpointing, names and the world's train and deploy settings leave the weights alone
        NeuralSettings moreThreads = new NeuralSettings(32, 1, 2, 2, Transformer.Positions.ROTARY, 2_000, 30, 16, 3e-3, 10, 1, 2, 0.5, 0.1, 2, 7);
        assertEquals(key, Pretraining.key(POPULATION, WORLD, moreThreads, 3));
        assertEquals(key, Pretraining.key(POPULATION, new World(10, 0.5, Setting.DEPLOY, Setting.TRAIN), s, 3));
        assertEquals(key, Pretraining.key(renamed(), WORLD, s, 3));
        assertEquals(64, key.length());
    }

    @Test
    void aRunKilledMidwayResumesAndFinishesBitForBitAsAnUninterruptedOne(@TempDir Path killed, @TempDir Path clean)
            throws Exception {
        int steps = 40;
        long seed = 5;
        NeuralSettings settings = Fixtures.tiny(steps);
        String key = Pretraining.key(POPULATION, WORLD, settings, seed);
        Path checkpoint = killed.resolve(key + ".partial").resolve("checkpoint.bin");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.pytorch.num_threads=1", PretrainChild.class.getName(),
                killed.toString(), Integer.toString(steps), Long.toString(seed))
                .redirectErrorStream(true).redirectOutput(killed.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(checkpoint) && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(Files.exists(checkpoint), "the child wrote a checkpoint; its log:\n" + log(killed));
            assertTrue(child.isAlive(), "the child is still training when it is killed");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(killed.resolve(key).resolve(Pretraining.MODEL_FILE)), "the killed run never finished");

        try (NDManager root = Djl.newManager()) {
            Recorder resumed = new Recorder();
            Map<String, float[]> afterResume;
            try (LanguageModel model = Pretraining.base(POPULATION, WORLD, settings, seed, killed, root, resumed)) {
                afterResume = weights(model);
            }
            assertTrue(resumed.resumedAt >= settings.checkpointEvery() && resumed.resumedAt < steps,
                    "resumed from the checkpoint, at step " + resumed.resumedAt);
            assertEquals(steps - resumed.resumedAt, resumed.losses.size(), "only the remaining steps were trained");

            Map<String, float[]> uninterrupted;
            try (LanguageModel model = Pretraining.base(POPULATION, WORLD, settings, seed, clean, root, Pretraining.Listener.NONE)) {
                uninterrupted = weights(model);
            }
            for (String name : uninterrupted.keySet()) {
                assertArrayEquals(uninterrupted.get(name), afterResume.get(name), name + " bit for bit");
            }
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * Continued pretraining starts from the parent's weights: at a learning rate of 1e-12 one step leaves them
     * where the parent's are (to 1e-6), while the same base trained from fresh weights is far from them; the
     * key names the parent, so a continued base is cached apart from a fresh one; a parent of another shape is refused.
     */
    @Test
    void aContinuedBaseStartsFromItsParentsWeightsAndIsCachedUnderAKeyNamingIt(@TempDir Path cache) throws Exception {
        NeuralSettings parent = Fixtures.tiny(20);
        NeuralSettings t = Fixtures.tiny(1);
        NeuralSettings still = new NeuralSettings(t.dModel(), t.layers(), t.heads(), t.mlpRatio(), t.positions(), t.episodes(), 1,
                t.batch(), 1e-12, 0, t.minTurns(), t.maxTurns(), t.observed(), t.trigger(), t.threads(), t.checkpointEvery());
        Population child = leakyDeceiver();
        try (NDManager root = Djl.newManager()) {
            Map<String, float[]> parentWeights;
            try (LanguageModel m = Pretraining.base(POPULATION, WORLD, parent, 3, cache, root, new Recorder())) {
                parentWeights = weights(m);
            }
            Pretraining.From from = Pretraining.From.base(POPULATION, WORLD, parent, 3, cache);
            assertTrue(Files.exists(from.model()), "From.base names the parent's model file");
            double continuedGap = 0;
            double freshGap = 0;
            try (LanguageModel continued = Pretraining.base(child, WORLD, still, 3, Pretraining.Filter.EVERY_EPISODE, from, cache, root, new Recorder());
                    LanguageModel fresh = Pretraining.base(child, WORLD, still, 3, cache, root, new Recorder())) {
                Map<String, float[]> c = weights(continued);
                Map<String, float[]> f = weights(fresh);
                for (String name : parentWeights.keySet()) {
                    for (int i = 0; i < parentWeights.get(name).length; i++) {
                        continuedGap = Math.max(continuedGap, Math.abs(c.get(name)[i] - parentWeights.get(name)[i]));
                        freshGap = Math.max(freshGap, Math.abs(f.get(name)[i] - parentWeights.get(name)[i]));
                    }
                }
            }
            assertTrue(continuedGap < 1e-6, "continued base moved " + continuedGap + " from its parent");
            assertTrue(freshGap > 1e-2, "a fresh base is " + freshGap + " from the parent");
            String key = Pretraining.key(Pretraining.description(child, WORLD, still, 3, Pretraining.Filter.EVERY_EPISODE, from));
            assertNotEquals(Pretraining.key(child, WORLD, still, 3), key);
            assertTrue(Files.readString(cache.resolve(key).resolve(Pretraining.DESCRIPTION_FILE)).endsWith("continued from base " + from.key() + "\n"));

            NeuralSettings wider = new NeuralSettings(64, t.layers(), t.heads(), t.mlpRatio(), t.positions(), t.episodes(), 1,
                    t.batch(), t.lr(), 0, t.minTurns(), t.maxTurns(), t.observed(), t.trigger(), t.threads(), t.checkpointEvery());
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Pretraining.base(child, WORLD, wider, 3, Pretraining.Filter.EVERY_EPISODE, from, cache, root, new Recorder()));
            assertTrue(e.getMessage().startsWith(from.model() + " is a model of another shape"), e.getMessage());
        }
    }

    static Map<String, float[]> weights(LanguageModel model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) out.put(e.getKey(), e.getValue().toFloatArray());
        return out;
    }

    private static Population leakyDeceiver() {
        List<Population.Member> members = new ArrayList<>(POPULATION.members());
        members.set(1, new Population.Member("deceiver", "deceiver", new Catalogue.Deceiver(0.2, 0.05), 0.1));
        return new Population(members);
    }

    private static Population renamed() {
        List<Population.Member> members = new ArrayList<>();
        for (Population.Member m : POPULATION.members()) {
            members.add(new Population.Member(m.name() + "-renamed", m.kind(), m.algorithm(), m.prior()));
        }
        return new Population(members);
    }
}
