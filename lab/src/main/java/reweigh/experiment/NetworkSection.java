package reweigh.experiment;

import java.util.List;
import reweigh.finetune.KlRl;
import reweigh.measure.Mixture;
import reweigh.measure.Rates;
import reweigh.neural.measure.Measurement;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.run.Metrics;
import reweigh.spec.Spec;

/**
 * The two hypotheses applied to the network's own base, so its measurements can be compared with them:
 * tilting leaves deployment behaviour as the base had it; reweighting multiplies the base's implied
 * weights by exp(R/beta), with beta from the spec's first kl-rl run.
 */
final class NetworkSection {
    private NetworkSection() {}

    /** The beta of the spec's first kl-rl run, or kl-rl's default. */
    static double beta(Spec spec) {
        for (Spec.Tuning t : spec.methods()) if (t.method() instanceof KlRl k) return k.beta();
        return KlRl.DEFAULTS.beta();
    }

    /** Reweighting's prediction from the network's base: its implied weights times exp(R/beta), normalised. */
    static double[] reweighted(Spec spec, Measurement base) {
        return new KlRl(beta(spec)).optimum(base.weights(), Tuner.problem(spec).returns());
    }

    /** A deployment behaviour rate under given weights, computed exactly. */
    static double deployRate(Spec spec, double[] weights, String behaviour) {
        return Rates.behaviours(new Mixture(spec.population(), weights), spec.world().deployContexts()).get(behaviour);
    }

    /** The network's implied log-odds over fine-tuning, with 95% bands, beside both predictions. */
    static void logOddsFigure(Html html, Spec spec, Metrics metrics, List<NeuralEngine.Run> runs,
                              double tilting, double reweighting) {
        String metric = spec.odds().metric();
        String pair = spec.odds().numerator() + ":" + spec.odds().denominator();
        LineChart chart = new LineChart("network: implied log-odds " + pair + " over fine-tuning",
                "fraction of fine-tuning steps", "implied log(w_" + spec.odds().numerator() + " / w_" + spec.odds().denominator() + ")");
        for (NeuralEngine.Run r : runs) {
            double last = Math.max(1, r.snapshots().get(r.snapshots().size() - 1).step());
            double[] x = r.snapshots().stream().mapToDouble(s -> s.step() / last).toArray();
            chart.add(Series.line(r.tuning().label(), x, metrics.values(r.series(), metric))
                    .withBand(metrics.values(r.series(), metric + ".lo95"), metrics.values(r.series(), metric + ".hi95")).linePoints());
        }
        chart.hline(tilting, "network base = tilting prediction");
        if (Math.abs(reweighting - tilting) > 1e-9) chart.hline(reweighting, "reweighting prediction");
        html.figure(chart.svg(), "The network's implied log-odds " + pair + " in deployment contexts during fine-tuning, with 95% "
                + "bootstrap bands. Reweighting multiplies both algorithms by exp(R/beta); when the deceiver earns the honest "
                + "algorithm's reward, both hypotheses predict no change.");
    }

    /**
     * Reward and KL per fine-tuning step, for each run. The KL is the per-sequence estimator the run's
     * loss used (k1 for the methods whose loss has none), and the legend names it.
     */
    static void trainingFigures(Html html, Metrics metrics, List<NeuralEngine.Run> runs) {
        LineChart reward = new LineChart("network: mean sampled reward per step", "fine-tuning step", "reward");
        LineChart kl = new LineChart("network: KL(policy || base) per step", "fine-tuning step", "KL estimate (nats)");
        for (NeuralEngine.Run r : runs) {
            String estimator = "kl." + r.tuning().network().reportedKl();
            reward.add(Series.line(r.tuning().label(), metrics.steps(r.series(), "reward"), metrics.values(r.series(), "reward")));
            kl.add(Series.line(r.tuning().label() + " (" + r.tuning().network().reportedKl() + ")",
                    metrics.steps(r.series(), estimator), metrics.values(r.series(), estimator)));
        }
        html.figure(reward.svg(), "The reward the evaluator gave the policy's own samples at each step (for sft-filtered, "
                + "best-of-n and dpo, which train on the base's samples, fresh policy samples drawn to report).");
        html.figure(kl.svg(), "The KL estimate of each step, as its loss used it: k1 = log π/π_ref, k3 = (ρ−1) − log ρ "
                + "(Schulman 2020). k3 understates a large KL in practice; the estimator is in each legend entry.");
    }

    /** "0.27 [0.22, 0.31]". */
    static String withInterval(double value, double low, double high) {
        return Fmt.num(value) + " [" + Fmt.num(low) + ", " + Fmt.num(high) + "]";
    }

    /** Which prediction a measured value is nearer, and whether its interval holds each. */
    static String verdict(double measured, double low, double high, double tilting, double reweighting) {
        boolean holdsTilt = low <= tilting && tilting <= high;
        boolean holdsReweight = low <= reweighting && reweighting <= high;
        if (Math.abs(tilting - reweighting) < 1e-9) {
            if (holdsTilt) return "consistent with both predictions, which agree here";
            return (low > tilting ? "above" : "below") + " both predictions, which agree here (no change)";
        }
        if (holdsTilt && !holdsReweight) return "followed behaviour tilting (its interval holds tilting's prediction, not reweighting's)";
        if (holdsReweight && !holdsTilt) return "followed algorithm reweighting (its interval holds reweighting's prediction, not tilting's)";
        if (holdsTilt) return "consistent with both (the interval is too wide to tell them apart)";
        if (high < Math.min(tilting, reweighting)) return "below both predictions: neither hypothesis expects this fall";
        if (low > Math.max(tilting, reweighting)) return "above both predictions: neither hypothesis expects this rise";
        String nearer = Math.abs(measured - tilting) < Math.abs(measured - reweighting) ? "tilting" : "reweighting";
        return "between the predictions, matching neither; nearer " + nearer;
    }
}
