package reweigh.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import reweigh.evaluate.Evaluator;
import reweigh.finetune.Method;
import reweigh.neural.finetune.NetworkMethod;
import reweigh.neural.pretrain.NeuralSettings;
import reweigh.population.Population;
import reweigh.world.World;

/**
 * A validated experiment spec: everything typed, every default filled in.
 *
 * @param experiment the experiment id (odds-ratio, deployment, evaluator, ...)
 * @param seed       the one source of randomness
 * @param methods    the fine-tuning runs, one per value of any list-valued parameter, each with a label
 * @param odds       the pair whose log-odds are tracked, or null when the population has no such pair
 * @param sweep      spec keys swept by the experiment, or null
 * @param points     about how many points of each trajectory are recorded
 * @param engines    {@code exact}, and {@code neural} when the network is trained and measured too
 * @param neural     the neural engine's settings, or null when it does not run
 * @param settings   the experiment's own settings (the spec key named after it), or null when it takes none
 * @param resolved   the resolved spec as a tree, written beside every result as spec.yaml
 */
public record Spec(String experiment, String title, String description, long seed, Population population,
                   World world, Evaluator evaluator, List<Tuning> methods, Odds odds, Sweep sweep, int points,
                   List<String> engines, Neural neural, Record settings, ObjectNode resolved, Source source) {

    /** The experiment's own settings, as the record type it declared. */
    public <T extends Record> T settings(Class<T> type) {
        if (!type.isInstance(settings)) {
            throw new IllegalStateException("experiment " + experiment + " has settings " + settings + ", not a " + type.getSimpleName());
        }
        return type.cast(settings);
    }

    /**
     * One fine-tuning run: the label its series carry, the exact engine's method ({@code null} for a
     * method that runs on the network only, such as ppo), and the network's ({@code null} when the
     * method is the exact engine's alone, or the network is off).
     */
    public record Tuning(String label, Method method, NetworkMethod network) {}

    /**
     * The neural engine: the base model's shape and pretraining, and how the network is measured.
     *
     * @param from       the base this one continues from, or null for a base trained from fresh weights
     * @param seed       the first replicate's seed; specs with the same population, world and seed share one base
     * @param prompts    prompts per measurement (each read through the model's exact response distribution)
     * @param bootstrap  bootstrap resamples of the prompts, for each network's own 95% intervals
     * @param snapshots  measurements during each fine-tuning run, besides before and after
     * @param replicates independent networks the finding is stated over: replicate r is pretrained with seed
     *                   {@code seed + r} and tuned and measured with seeds drawn from it, so seeds 1 and 1001
     *                   at 4 replicates are two disjoint sets of networks
     */
    public record Neural(NeuralSettings base, From from, long seed, int prompts, int bootstrap, int snapshots, int replicates) {
        public static final Neural DEFAULTS = new Neural(NeuralSettings.DEFAULTS, null, 1, 300, 200, 3, 4);

        public Neural {
            reweigh.world.Check.atLeast("replicates", replicates, 1);
            reweigh.world.Check.atLeast("prompts", prompts, 10);
            reweigh.world.Check.atLeast("bootstrap", bootstrap, 20);
            reweigh.world.Check.atLeast("snapshots", snapshots, 0);
        }
    }

    /**
     * Continued pretraining ({@code neural.from}): each replicate's base starts from the base that
     * {@code population}'s corpus, the spec's world, {@code base}'s settings and the replicate's seed give,
     * as a pretrained model is trained further on a new corpus (Hubinger et al. 2024 train their backdoors
     * into pretrained models), and is then trained on its own corpus with {@code neural.base}'s schedule.
     */
    public record From(Population population, NeuralSettings base) {}

    public boolean runsNeural() { return neural != null; }

    /** The pretraining seeds of the network's replicates: {@code seed, seed + 1, ...}. */
    public long[] replicateSeeds() {
        return java.util.stream.LongStream.range(0, neural.replicates()).map(r -> neural.seed() + r).toArray();
    }

    /**
     * The same spec with another base, world or evaluator: an experiment's variants (a grid cell, a knob's
     * value). The resolved tree and source stay this spec's, so a report's setup shows what the file says.
     */
    public Spec with(Population population, World world, Evaluator evaluator) {
        return new Spec(experiment, title, description, seed, population, world, evaluator, methods, odds, sweep, points,
                engines, neural, settings, resolved, source);
    }

    /** Track log(w_numerator / w_denominator). */
    public record Odds(String numerator, String denominator) {
        public String metric() { return "logodds." + numerator + ":" + denominator; }
    }

    /** Spec keys and the values each takes; the experiment runs every combination. */
    public record Sweep(List<String> keys, List<List<JsonNode>> values) {
        /** Every combination of the sweep's values, the last key varying fastest. */
        public List<java.util.Map<String, JsonNode>> combinations() {
            java.util.Map<String, List<JsonNode>> knobs = new java.util.LinkedHashMap<>();
            for (int k = 0; k < keys.size(); k++) knobs.put(keys.get(k), values.get(k));
            return product(knobs);
        }

        /**
         * Every combination of {@code knobs}' values, key → value, the last key varying fastest: the one way reweigh
         * turns knobs, whether a spec's {@code sweep:}, {@code --grid} on the command line, or an experiment's own
         * list-valued settings.
         */
        public static <V> List<java.util.Map<String, V>> product(java.util.Map<String, List<V>> knobs) {
            List<java.util.Map<String, V>> combos = new java.util.ArrayList<>();
            combos.add(new java.util.LinkedHashMap<>());
            for (java.util.Map.Entry<String, List<V>> knob : knobs.entrySet()) {
                List<java.util.Map<String, V>> next = new java.util.ArrayList<>();
                for (java.util.Map<String, V> c : combos) {
                    for (V v : knob.getValue()) {
                        java.util.Map<String, V> m = new java.util.LinkedHashMap<>(c);
                        m.put(knob.getKey(), v);
                        next.add(m);
                    }
                }
                combos = next;
            }
            return combos;
        }
    }

    /** One combination of a sweep: the values assigned, and the spec they give. */
    public record Cell(Map<String, JsonNode> assignment, Spec spec) {}
}
