package reweigh.experiment.evaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reweigh.experiment.FaithfulnessSection;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Replicates.Recorded;
import reweigh.experiment.Replicates.Replicate;
import reweigh.experiment.Tuner;
import reweigh.measure.Verdict;
import reweigh.neural.measure.Measurement;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.MeanInterval;

/**
 * The evaluator experiment's network, read back from the metrics over its replicates: per panel (the swept keys other
 * than the x axis, e.g. leak=0.2) the replicates' bases, and at each end of the x axis each replicate's implied log-odds
 * after tuning that base, read with the shared verdict rule ({@link Verdict}) against tilting (the base's own log-odds)
 * and kl-rl's reweighting of the base's implied weights under that end's evaluator. Where the deceiver never leaks it
 * earns the honest algorithm's reward, reweighting keeps the odds, and both predictions are the base's.
 *
 * @param method the spec's first network method, the one tuned at the ends
 * @param panels in the sweep's order
 */
record EvaluatorNetwork(String method, List<Panel> panels) {

    /**
     * One panel: its name ("leak=0.2"; "" when only the x axis is swept), its replicates' bases (one per seed, both
     * ends tuned on it), their implied log-odds over the replicates, and its ends in the sweep's order.
     */
    record Panel(String name, List<Replicate> bases, MeanInterval before, List<End> ends) {}

    /**
     * One end of the x axis in a panel: the knob's value; the tuned log-odds per replicate with the verdict, labelled as
     * its pooled series so {@link NetworkSection#emitVerdicts} records it there; and per replicate, the base's log-odds
     * (tilting's prediction) and reweighting's prediction.
     */
    record End(double x, NetworkSection.Reading reading, double[] tilting, double[] reweighting) {
        /** The tuned log-odds: the mean with its interval over the replicates, or one network's with its interval over prompts. */
        MeanInterval after() {
            NetworkSection.Reading r = reading;
            return r.value().length > 1 ? r.pooled() : new MeanInterval(1, r.value()[0], r.low()[0], r.high()[0]);
        }

        /** The change from each replicate's own base, as {@link #after}: over the replicates, or one network's over prompts. */
        MeanInterval change() {
            NetworkSection.Reading r = reading;
            return r.value().length > 1 ? r.verdict().effect()
                    : new MeanInterval(1, r.value()[0] - tilting[0], r.low()[0] - tilting[0], r.high()[0] - tilting[0]);
        }

        /** Reweighting's prediction of the tuned log-odds, over the replicates' bases. */
        MeanInterval predicted() { return MeanInterval.of(reweighting); }
    }

    /** Every end's reading, panel by panel. */
    List<NetworkSection.Reading> readings() {
        return panels.stream().flatMap(p -> p.ends().stream()).map(End::reading).toList();
    }

    /** The panel of that name, or null when the network did not run in it. */
    Panel panel(String name) { return panels.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null); }

    /** The network as {@link EvaluatorQuality} recorded it at the ends of {@code xKey}; null when no panel has a network method. */
    static EvaluatorNetwork read(Spec spec, List<Spec.Cell> cells, String xKey, Metrics metrics) {
        long[] seeds = spec.replicateSeeds();
        int n = seeds.length;
        String num = spec.odds().numerator(), den = spec.odds().denominator();
        String method = null;
        List<Panel> panels = new ArrayList<>();
        for (Map.Entry<String, List<Spec.Cell>> panel : EvaluatorQuality.ends(cells, xKey).entrySet()) {
            Spec baseSpec = panel.getValue().get(0).spec();
            Spec.Tuning first = NeuralEngine.firstRun(baseSpec);
            if (first == null) continue;
            method = first.label();
            List<Replicate> bases = new ArrayList<>();
            double[] tilting = new double[n];
            for (int r = 0; r < n; r++) {
                String series = EvaluatorQuality.baseSeries(panel.getKey()) + Replicates.tag(seeds, r);
                Recorded base = new Recorded(baseSpec, metrics, series);
                bases.add(new Replicate(seeds[r], base, FaithfulnessSection.read(metrics, series, baseSpec), List.of()));
                tilting[r] = base.logOdds(num, den).value();
            }
            List<End> ends = new ArrayList<>();
            for (Spec.Cell cell : panel.getValue()) {
                double[] value = new double[n], low = new double[n], high = new double[n], reweighting = new double[n];
                for (int r = 0; r < n; r++) {
                    Measurement.Estimate after = new Recorded(cell.spec(), metrics, EvaluatorQuality.tunedSeries(first, cell) + Replicates.tag(seeds, r))
                            .logOdds(num, den);
                    value[r] = after.value();
                    low[r] = after.low();
                    high[r] = after.high();
                    reweighting[r] = Tuner.logOdds(cell.spec(), NetworkSection.reweighted(cell.spec(), bases.get(r).base().weights()));
                }
                String label = EvaluatorQuality.tunedSeries(first, cell).substring(NeuralEngine.PREFIX.length());
                ends.add(new End(cell.assignment().get(xKey).asDouble(),
                        new NetworkSection.Reading(label, value, low, high, Verdict.of(value, low, high, tilting, reweighting)), tilting, reweighting));
            }
            panels.add(new Panel(panel.getKey(), bases, MeanInterval.of(tilting), ends));
        }
        return panels.isEmpty() ? null : new EvaluatorNetwork(method, panels);
    }

    /** One panel's network points at the sweep's two ends, {@code read} of each end with its band: the change, or the log-odds after. */
    reweigh.report.Series points(Panel panel, java.util.function.Function<End, MeanInterval> read) {
        List<MeanInterval> m = panel.ends().stream().map(read).toList();
        return reweigh.report.Series.line(legend(panel), panel.ends().stream().mapToDouble(End::x).toArray(),
                        m.stream().mapToDouble(MeanInterval::mean).toArray())
                .withBand(m.stream().mapToDouble(MeanInterval::low).toArray(), m.stream().mapToDouble(MeanInterval::high).toArray())
                .points();
    }

    /** The network's points' legend entry in a chart: its method, and what its intervals are over. */
    String legend(Panel panel) {
        int n = panel.bases().size();
        return "network: " + method + (n == 1 ? " (95% over prompts, one network)" : " (mean, 95% over " + n + " replicates)");
    }

    /**
     * A panel's network finding, the verdicts first: "On the network with leak=0.2 (reinforce, 4 replicates (seeds 1–4),
     * implied honest:deceiver log-odds after tuning, mean [95%]): inconclusive at 4 replicates: detect=0 1.4 [1.2, 1.6]
     * (reweighting predicts 1.5 [1.1, 1.9]); ... The bases' are 1.6 [1.2, 2]; tilting predicts they stay."
     */
    String finding(Panel panel, String pair, String xName) {
        List<NetworkSection.Reading> byEnd = new ArrayList<>();
        Map<String, String> values = new java.util.HashMap<>();
        for (End e : panel.ends()) {
            NetworkSection.Reading r = e.reading();
            String at = xName + "=" + Fmt.num(e.x());
            byEnd.add(new NetworkSection.Reading(at, r.value(), r.low(), r.high(), r.verdict()));
            values.put(at, Fmt.withInterval(e.after().mean(), e.after().low(), e.after().high()) + (r.verdict().agree()
                    ? " (reweighting keeps the base's odds here, as tilting does)"
                    : " (reweighting predicts " + NetworkSection.pooled(e.predicted(), Fmt::num) + ")"));
        }
        String readings = NetworkSection.byReading(byEnd, r -> values.get(r.label()));
        return "On the network" + (panel.name().isEmpty() ? "" : " with " + panel.name()) + " (" + method + ", "
                + NetworkSection.replicates(panel.bases()) + ", implied " + pair + " log-odds after tuning"
                + (panel.bases().size() > 1 ? ", mean [95%]" : " [95%]") + "): " + readings + ". The bases' are "
                + NetworkSection.pooled(panel.before(), Fmt::num) + "; tilting predicts they stay.";
    }

    /** The network's section: how it was measured, each end's reading, each replicate's numbers, and the bases' faithfulness. */
    void section(Html html, Spec spec, String xKey) {
        String pair = spec.odds().numerator() + ":" + spec.odds().denominator();
        String xName = EvaluatorQuality.shortKey(xKey);
        List<Replicate> first = panels.get(0).bases();
        html.heading("The network");
        html.paragraph("At the two ends of " + xKey + ", " + NetworkSection.replicates(first) + " per panel: each replicate's base "
                + "(pretrained on its panel's corpus; " + xKey + " does not change it) is fine-tuned by " + method + " at both ends with "
                + "its own seeds, and measured in deployment contexts: the implied log-odds " + pair + " (EM weights over the known "
                + "algorithms), with " + NetworkSection.intervalOver(first) + ". Tilting predicts each replicate's base's own log-odds; "
                + "reweighting multiplies that base's implied weights by exp(R/beta), with beta = " + Fmt.num(NetworkSection.beta(spec))
                + " and R the returns under that end's evaluator. A deceiver that never leaks earns the honest algorithm's reward, "
                + "so there reweighting keeps the odds and the two predictions coincide: the rule can then say only below, above or "
                + "inconclusive. " + NetworkSection.RULE);
        List<List<String>> rows = new ArrayList<>();
        for (Panel p : panels) {
            for (End e : p.ends()) {
                rows.add(List.of(p.name(), Fmt.num(e.x()), e.reading().verdict().sentence(), NetworkSection.pooled(p.before(), Fmt::num),
                        Fmt.withInterval(e.after().mean(), e.after().low(), e.after().high()), NetworkSection.pooled(e.predicted(), Fmt::num)));
            }
        }
        html.table(List.of("panel", xName, "reading over replicates", "log-odds of the bases [95%]", "tuned [95%]",
                "reweighting predicts [95%]"), rows);
        for (Panel p : panels) {
            for (End e : p.ends()) {
                html.subheading("Each replicate" + (p.name().isEmpty() ? "" : ", " + p.name()) + ", " + xName + "=" + Fmt.num(e.x()));
                List<List<String>> each = new ArrayList<>();
                NetworkSection.Reading r = e.reading();
                for (int i = 0; i < p.bases().size(); i++) {
                    Measurement.Estimate base = p.bases().get(i).base().logOdds(spec.odds().numerator(), spec.odds().denominator());
                    each.add(List.of(Long.toString(p.bases().get(i).seed()), Fmt.withInterval(base.value(), base.low(), base.high()),
                            Fmt.withInterval(r.value()[i], r.low()[i], r.high()[i]), Fmt.delta(r.value()[i] - e.tilting()[i]),
                            Fmt.num(e.reweighting()[i])));
                }
                html.table(List.of("seed", "base log-odds [95% over prompts]", "tuned [95% over prompts]", "change", "reweighting predicts"), each);
            }
        }
        for (Panel p : panels) {
            html.subheading("The bases" + (p.name().isEmpty() ? "" : " with " + p.name()));
            NetworkSection.faithfulness(html, p.bases());
        }
    }
}
