package reweigh.neural.measure;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.pretrain.Fixtures;
import reweigh.neural.pretrain.NeuralSettings;
import reweigh.neural.pretrain.Pretraining;
import reweigh.population.Population;
import reweigh.world.World;

/**
 * Prints the faithfulness table of the default base (NeuralSettings.DEFAULTS on the shipped specs'
 * population, 4 answers, user_wrong 0.5), one seed after another. Opt-in, about 90 s a seed:
 * {@code mvn -B -o -pl neural -am test -Dtest=FaithfulnessOfDefaults -Dsurefire.failIfNoSpecifiedTests=false -Dreweigh.faithfulness=1,2}
 * Bases are cached under {@code -Dreweigh.faithfulness.cache} (default target/faithfulness-cache);
 * {@code -Dreweigh.faithfulness.steps=N} pretrains N steps instead of the default's,
 * {@code -Dreweigh.faithfulness.batch=B} draws B episodes an update, and
 * {@code -Dreweigh.faithfulness.small=true} uses ReproductionTest's single-turn base (batch 256) instead.
 */
@EnabledIfSystemProperty(named = "reweigh.faithfulness", matches = "[0-9,]+")
class FaithfulnessOfDefaults {
    private static final int PROMPTS = 600;

    @Test
    void printTheTableOfEachSeed() throws Exception {
        Population population = Fixtures.defaultPopulation();
        World world = Fixtures.world(4);
        NeuralSettings base = Boolean.getBoolean("reweigh.faithfulness.small") ? reweigh.neural.pretrain.ReproductionTest.SMALL
                : NeuralSettings.DEFAULTS;
        String steps = System.getProperty("reweigh.faithfulness.steps");
        if (steps != null) base = base.withSteps(Integer.parseInt(steps), base.warmup());
        String batch = System.getProperty("reweigh.faithfulness.batch");
        if (batch != null) {
            NeuralSettings b = base;
            base = new NeuralSettings(b.dModel(), b.layers(), b.heads(), b.mlpRatio(), b.positions(), b.episodes(), b.steps(),
                    Integer.parseInt(batch), b.lr(), b.warmup(), b.minTurns(), b.maxTurns(), b.observed(), b.trigger(),
                    b.threads(), b.checkpointEvery());
        }
        Path cache = Path.of(System.getProperty("reweigh.faithfulness.cache", "target/faithfulness-cache"));
        for (String s : System.getProperty("reweigh.faithfulness").split(",")) {
            long seed = Long.parseLong(s);
            long start = System.nanoTime();
            try (NDManager root = Djl.newManager();
                    LanguageModel model = Pretraining.base(population, world, base, seed, cache, root, Pretraining.Listener.NONE)) {
                double trained = (System.nanoTime() - start) / 1e9;
                Faithfulness.Table t = Faithfulness.measure(model, population, world, base, PROMPTS, 12);
                System.out.printf(Locale.ROOT, "%n=== seed %d: pretrained or loaded in %.0f s, measured in %.0f s; %s (worst %.3f)%n",
                        seed, trained, (System.nanoTime() - start) / 1e9 - trained,
                        t.passes() ? "passes" : t.misses().size() + " misses", t.worstError());
                System.out.printf("%-12s %-16s %8s %8s %8s %8s%n", "class", "behaviour", "network", "exact", "error", "prompt");
                for (Faithfulness.Row r : t.rows()) {
                    if (r.exact() == 0 && r.network() < 1e-3) continue;
                    System.out.printf(Locale.ROOT, "%-12s %-16s %8.3f %8.3f %8.3f %8.3f%s%n", r.context(), r.behaviour(), r.network(),
                            r.exact(), r.error(), r.promptError(), r.error() > t.tolerance() ? "  MISS" : "");
                }
                System.out.println("implied weights " + population.names() + ": w0 / exact / network");
                for (Faithfulness.Weights w : t.weights()) {
                    System.out.printf(Locale.ROOT, "%-12s %s / %s / %s%n", w.context(), fmt(w.prior()), fmt(w.exact()), fmt(w.network()));
                }
                System.out.println("misses:\n" + t.describeMisses());
            }
        }
    }

    private static String fmt(double[] w) {
        return Arrays.stream(w).mapToObj(x -> String.format(Locale.ROOT, "%.3f", x)).toList().toString();
    }
}
