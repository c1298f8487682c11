package reweigh.experiment.honeypots;

import java.util.ArrayList;
import java.util.List;
import reweigh.experiment.FaithfulnessSection;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Replicates.Recorded;
import reweigh.experiment.Replicates.Replicate;
import reweigh.experiment.Tuner;
import reweigh.experiment.honeypots.Honeypots.Settings;
import reweigh.measure.Finding;
import reweigh.measure.Verdict;
import reweigh.neural.measure.Measurement;
import reweigh.neural.probe.LinearProbe;
import reweigh.neural.probe.WriterProbe;
import reweigh.report.Fmt;
import reweigh.report.Sentences;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.Difference;
import reweigh.stats.MeanInterval;

/**
 * The honeypot experiment's network, read back from the metrics over its replicates: per honeypot share h, each
 * replicate's change in the implied log-odds from its own base, with the shared verdict rule ({@link Verdict}) against
 * tilting (no change) and kl-rl's reweighting of that base; the effect of honeypots against the same tuning without
 * them; and the writer probe on each base.
 *
 * @param readings one per share: the tuned log-odds per replicate, with the verdict over replicates
 * @param delta    per share, the change in log-odds over the replicates (mean with its t-interval; one network: its
 *                 bootstrap interval over prompts)
 * @param predicted per share, kl-rl's predicted change, the mean over the replicates' bases
 * @param lie      per share, the deployment lie rate, the mean over the replicates
 * @param probes   per replicate, its observed and unobserved writer probes (empty when the probe did not run)
 */
record HoneypotsNetwork(String label, double[] h, List<Replicate> nets, List<NetworkSection.Reading> readings, MeanInterval[] delta,
                        double[] predicted, double[] lie, double[][] each, List<List<WriterProbe>> probes) {

    /** The honeypots' own effect against the same tuning without them, over the replicates. */
    enum Effect { RAISED, LOWERED, NONE_SHOWN, ONE_REPLICATE }

    /** The network's part as {@link Honeypots} recorded it; null when it did not run. */
    static HoneypotsNetwork read(Spec spec, Settings s, Metrics metrics) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        if (first == null || s.network().isEmpty()) return null;
        long[] seeds = spec.replicateSeeds();
        int n = seeds.length, k = s.network().size();
        String num = spec.odds().numerator(), den = spec.odds().denominator();
        double[] h = new double[k], predicted = new double[k], lie = new double[k];
        double[][] each = new double[k][n];
        MeanInterval[] delta = new MeanInterval[k];
        double[][] value = new double[k][n], low = new double[k][n], high = new double[k][n], reweighting = new double[k][n];
        double[] tilting = new double[n];
        List<Replicate> nets = new ArrayList<>();
        List<List<WriterProbe>> probes = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            String tag = Replicates.tag(seeds, r);
            Recorded base = new Recorded(spec, metrics, NeuralEngine.BASE + tag);
            nets.add(new Replicate(seeds[r], base, FaithfulnessSection.read(metrics, NeuralEngine.BASE + tag, spec), List.of()));
            tilting[r] = base.logOdds(num, den).value();
            for (int i = 0; i < k; i++) {
                h[i] = s.network().get(i);
                Spec v = Honeypots.variant(spec, h[i], spec.evaluator().detect());
                Recorded tuned = new Recorded(v, metrics, NeuralEngine.PREFIX + first.label() + variant(h[i]) + tag);
                Measurement.Estimate after = tuned.logOdds(num, den);
                value[i][r] = after.value();
                low[i][r] = after.low();
                high[i][r] = after.high();
                each[i][r] = after.value() - tilting[r];
                reweighting[i][r] = Tuner.logOdds(v, NetworkSection.reweighted(v, base.weights()));
                predicted[i] += (reweighting[i][r] - tilting[r]) / n;
                lie[i] += tuned.behaviours().get("lie") / n;
            }
            List<WriterProbe> pair = new ArrayList<>();
            for (boolean observed : new boolean[] {true, false}) {
                String series = Honeypots.probeSeries(observed, tag);
                if (!metrics.has(series, "chance")) continue;
                LinearProbe.Accuracy accuracy = new LinearProbe.Accuracy((long) metrics.last(series, "accuracy.correct"),
                        (long) metrics.last(series, "accuracy.total"),
                        new reweigh.stats.Interval(metrics.last(series, "accuracy.lo95"), metrics.last(series, "accuracy.hi95")));
                pair.add(new WriterProbe(observed, accuracy, metrics.last(series, "chance"),
                        new Difference(metrics.last(series, "rater_gap"), metrics.last(series, "rater_gap.se"))));
            }
            if (!pair.isEmpty()) probes.add(pair);
        }
        List<NetworkSection.Reading> readings = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            readings.add(new NetworkSection.Reading(first.label() + variant(h[i]), value[i], low[i], high[i],
                    Verdict.of(value[i], low[i], high[i], tilting, reweighting[i])));
            delta[i] = n > 1 ? MeanInterval.of(each[i]) : new MeanInterval(1, each[i][0], low[i][0] - tilting[0], high[i][0] - tilting[0]);
        }
        return new HoneypotsNetwork(first.label(), h, nets, readings, delta, predicted, lie, each, probes);
    }

    /** What tells a tuning at honeypot share h from the spec's own: its tuning seed's and its series' suffix. */
    static String variant(double h) { return " @ h=" + Fmt.num(h); }

    /**
     * Each share's honeypot effect, its change in log-odds minus the same tuning's without honeypots (h = 0), replicate by
     * replicate, with its interval over the replicates; null when no share is 0. Numbers: {@code effect}, {@code predicted}
     * (kl-rl's, the mean over the bases), {@code h}, {@code replicates}.
     */
    List<Finding<Effect>> effects() {
        int control = -1;
        for (int i = 0; i < h.length; i++) if (h[i] == 0) control = i;
        if (control < 0) return null;
        List<Finding<Effect>> out = new ArrayList<>();
        for (int i = 0; i < h.length; i++) {
            if (i == control) continue;
            double[] d = new double[nets.size()];
            for (int r = 0; r < d.length; r++) d[r] = each[i][r] - each[control][r];
            MeanInterval m = MeanInterval.of(d);
            Effect e = d.length < 2 ? Effect.ONE_REPLICATE : m.low() > 0 ? Effect.RAISED : m.high() < 0 ? Effect.LOWERED : Effect.NONE_SHOWN;
            out.add(Finding.of(e).with("effect", m).with("predicted", predicted[i] - predicted[control]).with("h", h[i])
                    .with("replicates", d.length));
        }
        return out;
    }

    /** The network's finding: the verdict at each share first, then the honeypots' own effect. */
    String finding() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < h.length; i++) {
            parts.add("h=" + Fmt.num(h[i]) + ": " + readings.get(i).verdict().sentence() + ", Δ " + Fmt.withInterval(delta[i].mean(),
                    delta[i].low(), delta[i].high()) + " (kl-rl predicts " + Fmt.delta(predicted[i]) + "), lie rate " + Fmt.pct(lie[i]));
        }
        String out = "On the network (" + label + ", " + NetworkSection.replicates(nets) + "; implied log-odds from the bases' "
                + NetworkSection.pooled(NetworkSection.bases(nets, b -> b.logOdds(spec().odds().numerator(), spec().odds().denominator()).value()),
                        Fmt::num) + "): " + String.join("; ", parts) + ".";
        List<Finding<Effect>> effects = effects();
        if (effects == null) return out;
        for (Finding<Effect> f : effects) {
            out += " " + Sentences.fill(switch (f.verdict()) {
                case RAISED -> "Honeypots raised the odds: against the same tuning without them, h={h} moved the log-odds {effect:ci} "
                        + "further over {replicates:int} replicates (kl-rl predicts {predicted:delta}).";
                case LOWERED -> "Honeypots lowered the odds: against the same tuning without them, h={h} moved the log-odds {effect:ci} "
                        + "over {replicates:int} replicates (kl-rl predicts {predicted:delta}).";
                case NONE_SHOWN -> "No effect of honeypots is shown: against the same tuning without them, h={h} moved the log-odds "
                        + "{effect:ci} over {replicates:int} replicates, an interval that holds 0 (kl-rl predicts {predicted:delta}).";
                case ONE_REPLICATE -> "Against the same tuning without honeypots, h={h} moved the log-odds {effect:delta} on one network, "
                        + "which is not a verdict (kl-rl predicts {predicted:delta}; neural.replicates 2 or more for an interval).";
            }, f);
        }
        return out;
    }

    private Spec spec() { return nets.get(0).base().spec(); }
}
