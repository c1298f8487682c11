package reweigh.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.neural.measure.Faithfulness;
import reweigh.neural.measure.Measurement;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.Interval;

/**
 * The network's replicates as a run recorded them in its metrics ({@link NeuralEngine#runAll}): what a report
 * reads, so a report is rendered from {@code metrics.csv} and {@code spec.yaml} alone, by the run and by
 * {@code reweigh report} alike, with no model loaded.
 */
public final class Replicates {
    private Replicates() {}

    /**
     * A measurement as {@link NeuralEngine} emitted it: the last value of each of its metrics in {@code series}
     * (a base's one reading at step 0, a tuned run's last snapshot).
     */
    public record Recorded(Spec spec, Metrics metrics, String series) {
        public double weight(String algorithm) { return metrics.last(series, "weight." + algorithm); }

        public double[] weights() { return Tuner.lastWeights(spec, metrics, series); }

        /** The deployment rates, in the order they were recorded: the behaviours, power and {@code invalid}. */
        public Map<String, Double> behaviours() {
            Map<String, Double> out = new LinkedHashMap<>();
            for (String metric : metrics.metrics(series)) {
                if (metric.startsWith("deploy.") && !metric.endsWith(".lo95") && !metric.endsWith(".hi95")) {
                    out.put(metric.substring("deploy.".length()), metrics.last(series, metric));
                }
            }
            return out;
        }

        /** The 95% intervals over prompts of the rates that have one. */
        public Map<String, Interval> behaviourIntervals() {
            Map<String, Interval> out = new LinkedHashMap<>();
            for (String b : behaviours().keySet()) {
                if (metrics.has(series, "deploy." + b + ".lo95")) {
                    out.put(b, new Interval(metrics.last(series, "deploy." + b + ".lo95"), metrics.last(series, "deploy." + b + ".hi95")));
                }
            }
            return out;
        }

        /** The spec's log-odds pair ({@code odds:}), the only one a run records, with its interval over prompts. */
        public Measurement.Estimate logOdds(String numerator, String denominator) {
            if (spec.odds() == null || !spec.odds().numerator().equals(numerator) || !spec.odds().denominator().equals(denominator)) {
                throw new IllegalArgumentException("a run records the log-odds of the spec's odds pair only, not " + numerator + ":" + denominator);
            }
            String metric = spec.odds().metric();
            return new Measurement.Estimate(metrics.last(series, metric), metrics.last(series, metric + ".lo95"), metrics.last(series, metric + ".hi95"));
        }
    }

    /** One fine-tuning run of one replicate: the series pooled over the replicates, the step of its last snapshot, and that snapshot's measurement. */
    public record Tuned(Spec.Tuning tuning, String pooled, int lastStep, Recorded last) {}

    /** One replicate: its pretraining seed, its base's reading and faithfulness table, and its tuned runs. */
    public record Replicate(long seed, Recorded base, Faithfulness.Table faithfulness, List<Tuned> runs) {}

    /**
     * Every replicate of the spec, read from {@code metrics}: the seeds, series names and runs that {@link NeuralEngine#runAll} wrote.
     *
     * @throws IllegalArgumentException naming the first series the metrics lack
     */
    public static List<Replicate> of(Spec spec, Metrics metrics) {
        long[] seeds = spec.replicateSeeds();
        String first = "weight." + spec.population().names().get(0);
        List<Replicate> out = new ArrayList<>();
        for (int r = 0; r < seeds.length; r++) {
            String tag = seeds.length > 1 ? "@seed" + seeds[r] : "";
            String base = NeuralEngine.BASE + tag;
            if (!metrics.has(base, first)) {
                throw new IllegalArgumentException("the metrics hold no network base " + base + " (is this a run of the spec's network?)");
            }
            List<Tuned> runs = new ArrayList<>();
            for (Spec.Tuning t : spec.methods()) {
                if (t.network() == null) continue;
                String series = NeuralEngine.PREFIX + t.label() + tag;
                double[] steps = metrics.steps(series, first);
                if (steps.length == 0) throw new IllegalArgumentException("the metrics hold no tuned network " + series);
                runs.add(new Tuned(t, NeuralEngine.PREFIX + t.label(), (int) steps[steps.length - 1], new Recorded(spec, metrics, series)));
            }
            out.add(new Replicate(seeds[r], new Recorded(spec, metrics, base), FaithfulnessSection.read(metrics, base, spec), runs));
        }
        return out;
    }
}
