package reweigh.neural.finetune;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import reweigh.evaluate.Evaluator;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.Transformer;
import reweigh.population.Population;
import reweigh.world.World;

/**
 * Wall-clock time of each method's DEFAULTS on a d_model 64, 2-layer, 4-head model of the default
 * world (10 answers), pre-trained for 400 steps. Opt-in, it takes minutes:
 * {@code mvn -pl core,neural -am verify -Dtest=DefaultsTiming -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Dreweigh.timing=true}
 * Threads: {@code -Dai.djl.pytorch.num_threads=2} in the argLine for two; {@code -Dreweigh.timing.only=dpo}
 * for one method.
 */
@EnabledIfSystemProperty(named = "reweigh.timing", matches = "true")
class DefaultsTiming {
    @Test
    void timeEachDefaultRun() {
        Population population = Fixtures.population();
        World world = World.DEFAULTS;
        Transformer shape = new Transformer(new reweigh.corpus.Vocabulary(world.answers()).size(), 24, 64, 4, 2, 4);
        try (NDManager root = Djl.newManager();
                LanguageModel base = LanguageModel.initialize(shape, 1, DataType.FLOAT32, root)) {
            long t = System.nanoTime();
            Fixtures.pretrain(base, population, world, 400, 64, 2);
            System.out.printf("threads %d; pre-training 400 steps: %.1f s%n", Djl.threads(), (System.nanoTime() - t) / 1e9);
            for (NetworkMethod.Kind kind : NetworkMethod.kinds().values()) {
                if (!System.getProperty("reweigh.timing.only", kind.name()).equals(kind.name())) continue;
                try (LanguageModel policy = Fixtures.copy(base, root); LanguageModel reference = Fixtures.copy(base, root)) {
                    List<Map<String, Double>> seen = new ArrayList<>();
                    long start = System.nanoTime();
                    Tuning.run(kind.defaults(), policy, reference, population, world, Evaluator.DEFAULTS, 7, (step, s) -> seen.add(s));
                    System.out.printf("%-13s %4d steps %6.1f s  first %s%n%33s last  %s%n", kind.name(), seen.size(),
                            (System.nanoTime() - start) / 1e9, seen.get(0), "", seen.get(seen.size() - 1));
                }
            }
        }
    }
}
