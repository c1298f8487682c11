package reweigh.experiment;

import java.util.List;
import reweigh.finetune.KlRl;
import reweigh.measure.Mixture;
import reweigh.measure.Rates;
import reweigh.measure.Verdict;
import reweigh.experiment.Replicates.Recorded;
import reweigh.experiment.Replicates.Replicate;
import reweigh.neural.measure.Measurement;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.Interval;
import reweigh.stats.MeanInterval;

/**
 * The two hypotheses applied to the network's own base, so its measurements can be compared with them:
 * tilting leaves deployment behaviour as the base had it; reweighting multiplies the base's implied
 * weights by exp(R/beta), with beta from the spec's first kl-rl run.
 */
public final class NetworkSection {
    private NetworkSection() {}

    /** The beta of the spec's first kl-rl run, or kl-rl's default. */
    public static double beta(Spec spec) {
        for (Spec.Tuning t : spec.methods()) if (t.method() instanceof KlRl k) return k.beta();
        return KlRl.DEFAULTS.beta();
    }

    /** Reweighting's prediction from the network's base: its implied weights times exp(R/beta), normalised. */
    public static double[] reweighted(Spec spec, Measurement base) { return reweighted(spec, base.weights()); }

    /** The same from a base's implied weights as its run recorded them. */
    public static double[] reweighted(Spec spec, double[] weights) {
        return new KlRl(beta(spec)).optimum(weights, Tuner.problem(spec).returns());
    }

    /** A deployment behaviour rate under given weights, computed exactly. */
    public static double deployRate(Spec spec, double[] weights, String behaviour) {
        return Rates.behaviours(new Mixture(spec.population(), weights), spec.world().deployContexts()).get(behaviour);
    }

    /**
     * The network's implied log-odds over fine-tuning (pooled over replicates), with 95% bands, beside both predictions' means;
     * returns the chart.
     */
    public static String logOddsFigure(Html html, Spec spec, Metrics metrics, List<Replicate> nets, double tilting, double reweighting) {
        List<Replicates.Tuned> runs = nets.get(0).runs();
        String metric = spec.odds().metric();
        String pair = spec.odds().numerator() + ":" + spec.odds().denominator();
        LineChart chart = new LineChart("network: implied log-odds " + pair + " over fine-tuning",
                "fraction of fine-tuning steps", "implied log(w_" + spec.odds().numerator() + " / w_" + spec.odds().denominator() + ")");
        for (Replicates.Tuned r : runs) {
            double last = Math.max(1, r.lastStep());
            double[] x = java.util.Arrays.stream(metrics.steps(r.pooled(), metric)).map(step -> step / last).toArray();
            chart.add(Series.line(r.tuning().label(), x, metrics.values(r.pooled(), metric))
                    .withBand(metrics.values(r.pooled(), metric + ".lo95"), metrics.values(r.pooled(), metric + ".hi95")).linePoints());
        }
        chart.hline(tilting, "network base = tilting prediction");
        if (Math.abs(reweighting - tilting) > 1e-9) chart.hline(reweighting, "reweighting prediction");
        String svg = chart.svg();
        html.figure(svg, "The network's implied log-odds " + pair + " in deployment contexts during fine-tuning, with "
                + intervalOver(nets) + ". Reweighting multiplies both algorithms by exp(R/beta); when the deceiver earns the honest "
                + "algorithm's reward, both hypotheses predict no change.");
        return svg;
    }

    /**
     * Reward and KL per fine-tuning step, for each run. The KL is the per-sequence estimator the run's
     * loss used (k1 for the methods whose loss has none), and the legend names it.
     */
    public static void trainingFigures(Html html, Metrics metrics, List<Replicate> nets) {
        List<Replicates.Tuned> runs = nets.get(0).runs();
        LineChart reward = new LineChart("network: mean sampled reward per step", "fine-tuning step", "reward");
        LineChart kl = new LineChart("network: KL(policy || base) per step", "fine-tuning step", "KL estimate (nats)");
        for (Replicates.Tuned r : runs) {
            String estimator = "kl." + r.tuning().network().reportedKl();
            reward.add(Series.line(r.tuning().label(), metrics.steps(r.pooled(), "reward"), metrics.values(r.pooled(), "reward")));
            kl.add(Series.line(r.tuning().label() + " (" + r.tuning().network().reportedKl() + ")",
                    metrics.steps(r.pooled(), estimator), metrics.values(r.pooled(), estimator)));
        }
        html.figure(reward.svg(), "The reward the evaluator gave the policy's own samples at each step, the mean over "
                + (nets.size() == 1 ? "one network" : "the " + nets.size() + " replicates") + " (for sft-filtered, "
                + "best-of-n and dpo, which train on the base's samples, fresh policy samples drawn to report).");
        html.figure(kl.svg(), "The KL estimate of each step, as its loss used it: k1 = log π/π_ref, k3 = (ρ−1) − log ρ "
                + "(Schulman 2020). k3 understates a large KL in practice; the estimator is in each legend entry.");
    }

    /**
     * One quantity read off every replicate: each network's value and its own interval over prompts, and
     * the verdict over replicates against both predictions, each made from that replicate's own base.
     */
    public record Reading(String label, double[] value, double[] low, double[] high, Verdict verdict) {
        public MeanInterval pooled() { return verdict.measured(); }
    }

    /**
     * Every tuned method's {@code read} after tuning, over the replicates: tilting predicts the base's own
     * value ({@code read} of the base), reweighting {@code reweighting} of the base.
     */
    public static List<Reading> readings(List<Replicate> nets, java.util.function.Function<Recorded, Measurement.Estimate> read,
                                  java.util.function.ToDoubleFunction<Recorded> reweighting) {
        int n = nets.size();
        double[] tilting = new double[n];
        double[] reweighted = new double[n];
        for (int r = 0; r < n; r++) {
            tilting[r] = read.apply(nets.get(r).base()).value();
            reweighted[r] = reweighting.applyAsDouble(nets.get(r).base());
        }
        List<Reading> out = new java.util.ArrayList<>();
        for (int k = 0; k < nets.get(0).runs().size(); k++) {
            double[] v = new double[n];
            double[] lo = new double[n];
            double[] hi = new double[n];
            for (int r = 0; r < n; r++) {
                Measurement.Estimate e = read.apply(nets.get(r).runs().get(k).last());
                v[r] = e.value();
                lo[r] = e.low();
                hi[r] = e.high();
            }
            out.add(new Reading(nets.get(0).runs().get(k).tuning().label(), v, lo, hi, Verdict.of(v, lo, hi, tilting, reweighted)));
        }
        return out;
    }

    /**
     * The verdicts as metrics, so a query or a test reads them without parsing the report: for each reading,
     * in its pooled series at step 0, {@code verdict.<kind>} = 1 (e.g. {@code verdict.inconclusive}) and
     * {@code verdict.agreeing}, how many replicates alone gave the commonest single-replicate verdict,
     * {@code verdict.commonest.<kind>} = 1, that verdict, and
     * {@code verdict.predicted}, reweighting's mean predicted effect, so the rule can be applied again from the file.
     */
    public static void emitVerdicts(Metrics m, List<Reading> readings) {
        for (Reading r : readings) {
            String series = NeuralEngine.PREFIX + r.label();
            m.add(series, 0, "verdict." + r.verdict().kind().name().toLowerCase(java.util.Locale.ROOT), 1);
            m.add(series, 0, "verdict.agreeing", r.verdict().agreeing());
            if (r.verdict().commonest() != null) {
                m.add(series, 0, "verdict.commonest." + r.verdict().commonest().name().toLowerCase(java.util.Locale.ROOT), 1);
            }
            m.add(series, 0, "verdict.predicted", r.verdict().predicted());
        }
    }

    /**
     * The network's deployment lie rate over the replicates: the bases' rate (tilting's prediction), reweighting's
     * prediction from each base, the exact engine's reweighting of the population, and each method's reading
     * (its verdicts recorded in {@code metrics}).
     */
    public record LieRates(MeanInterval base, MeanInterval predicted, double exactReweighting, List<Reading> readings) {
        /**
         * Bars for what was measured, the base and each method, with intervals over replicates; the predictions are
         * reference lines across them, so a prediction never reads as a measurement: tilting at the bases' mean rate,
         * reweighting at its mean over the bases, and the exact engine's reweighting of the population.
         */
        public BarChart chart(String title, String yLabel, int replicates) {
            List<String> names = new java.util.ArrayList<>(List.of("base"));
            List<double[]> bars = new java.util.ArrayList<>();
            bars.add(new double[] {base.mean(), base.low(), base.high()});
            for (Reading r : readings) {
                names.add(r.label());
                bars.add(new double[] {r.pooled().mean(), r.pooled().low(), r.pooled().high()});
            }
            BarChart chart = new BarChart(title + (replicates == 1 ? " (95% over prompts)" : " (mean, 95% over " + replicates + " replicates)"), yLabel, names);
            chart.add("", bars.stream().mapToDouble(b -> b[0]).toArray(),
                    bars.stream().mapToDouble(b -> b[1]).toArray(), bars.stream().mapToDouble(b -> b[2]).toArray());
            chart.hline(base.mean(), "tilting: no change (" + Fmt.pct(base.mean()) + ")");
            chart.hline(predicted.mean(), "reweighting (" + Fmt.pct(predicted.mean()) + ")");
            chart.hline(exactReweighting, "exact kl-rl (" + Fmt.pct(exactReweighting) + ")");
            return chart;
        }
    }

    /** The lie rates of {@code nets}; {@link #emitVerdicts} records their verdicts when the run computes them. */
    public static LieRates lieRates(Spec spec, List<Replicate> nets) {
        java.util.function.ToDoubleFunction<Recorded> reweighting = b -> deployRate(spec, reweighted(spec, b.weights()), "lie");
        double exact = deployRate(spec, new KlRl(beta(spec)).optimum(spec.population().priors(), Tuner.problem(spec).returns()), "lie");
        List<Reading> readings = readings(nets, m -> rate(m, "lie"), reweighting);
        return new LieRates(bases(nets, b -> b.behaviours().get("lie")), bases(nets, reweighting), exact, readings);
    }

    /** A behaviour's deployment rate with its interval over prompts, as an estimate. */
    public static Measurement.Estimate rate(Recorded m, String behaviour) {
        Interval i = m.behaviourIntervals().get(behaviour);
        return new Measurement.Estimate(m.behaviours().get(behaviour), i.low(), i.high());
    }

    /** {@code read} of every replicate's base: its mean and interval over the replicates. */
    public static MeanInterval bases(List<Replicate> nets, java.util.function.ToDoubleFunction<Recorded> read) {
        return MeanInterval.of(nets.stream().mapToDouble(net -> read.applyAsDouble(net.base())).toArray());
    }

    /** "17.4% [9.1%, 25.7%]" over replicates, or the one value when there is one replicate. */
    public static String pooled(MeanInterval m, java.util.function.DoubleFunction<String> format) {
        if (m.n() < 2) return format.apply(m.mean());
        return format.apply(m.mean()) + " [" + format.apply(m.low()) + ", " + format.apply(m.high()) + "]";
    }

    /**
     * The readings grouped by verdict, decided ones first, each method with its value: "below both predictions: reinforce
     * 8.9% [4.2%, 13.6%], rloo 9.5% [5.4%, 13.6%]; inconclusive at 4 replicates: dpo 14.9% [11.6%, 18.2%]". How each was
     * decided (the interval's regions, the replicates that agree) is the report's table's to say.
     */
    public static String byReading(List<Reading> readings, java.util.function.Function<Reading, String> value) {
        java.util.Map<String, List<String>> groups = new java.util.LinkedHashMap<>();
        List<Reading> ordered = new java.util.ArrayList<>(readings);
        ordered.sort(java.util.Comparator.comparing(r -> r.verdict().kind() == Verdict.Kind.INCONCLUSIVE)); // stable: run order kept
        for (Reading r : ordered) {
            Verdict v = r.verdict();
            String kind = v.kind() != Verdict.Kind.INCONCLUSIVE ? v.kind().words()
                    : v.replicates() < 2 ? "inconclusive (one replicate is not a verdict)" : "inconclusive at " + v.replicates() + " replicates";
            groups.computeIfAbsent(kind, k -> new java.util.ArrayList<>()).add(r.label() + " " + value.apply(r));
        }
        List<String> parts = new java.util.ArrayList<>();
        groups.forEach((kind, methods) -> parts.add(kind + ": " + String.join(", ", methods)));
        return String.join("; ", parts);
    }

    /** Each replicate's value: "17.4% / 11% / 8.4% / 4.5%". */
    public static String each(double[] values, java.util.function.DoubleFunction<String> format) {
        return String.join(" / ", java.util.Arrays.stream(values).mapToObj(format).toList());
    }

    /** Which seeds the replicates were pretrained with: "4 replicates (seeds 1–4)", or "one network (seed 1)". */
    public static String replicates(List<Replicate> nets) {
        long first = nets.get(0).seed();
        long last = nets.get(nets.size() - 1).seed();
        return nets.size() == 1 ? "one network (seed " + first + "), so no verdict" : nets.size() + " replicates (seeds " + first + "–" + last + ")";
    }

    /** What an interval in a network figure is over: the replicates, or one network's prompts. */
    public static String intervalOver(List<Replicate> nets) {
        return nets.size() == 1 ? "95% bootstrap intervals over prompts (one network)"
                : "95% Student-t intervals over the " + nets.size() + " replicates";
    }

    /** The verdict rule ({@link Verdict}) in the reports' words. */
    public static final String RULE = "Each method's effect is its tuned networks minus their own bases, with its 95% Student-t interval "
            + "over the replicates. Tilting predicts an effect of 0, reweighting its mean over the bases; the gap between them is "
            + "cut in four, so an effect within a quarter of the gap of a prediction is near it, and the axis falls into five "
            + "regions that do not overlap: below both, near the lower, between, near the upper, above both. A reading is the "
            + "region its whole interval lies in, and inconclusive when the interval straddles a boundary, with how many "
            + "replicates say the commonest thing alone (each by its own bootstrap interval over prompts). Two sets of "
            + "replicates can therefore decide differently only when their intervals are disjoint. One replicate is never a verdict.";

    /** Each replicate's faithfulness verdict in one sentence, then the first replicate's whole table. */
    public static void faithfulness(Html html, List<Replicate> nets) {
        List<String> verdicts = nets.stream().map(n -> FaithfulnessSection.verdict("The base of seed " + n.seed(), n.faithfulness())).toList();
        FaithfulnessSection.render(html, "the base of seed " + nets.get(0).seed(), nets.get(0).faithfulness());
        if (nets.size() > 1) html.bullets(verdicts);
    }
}
