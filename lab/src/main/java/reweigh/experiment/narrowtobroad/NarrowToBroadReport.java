package reweigh.experiment.narrowtobroad;

import java.util.ArrayList;
import java.util.List;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Sections;
import reweigh.experiment.Tuner;
import reweigh.experiment.narrowtobroad.NarrowToBroad.Spread;
import reweigh.finetune.Method;
import reweigh.measure.Finding;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.Sentences;
import reweigh.run.Metrics;
import reweigh.spec.Spec;

/** The narrow-to-broad report, from the spec and the metrics its compute recorded. */
final class NarrowToBroadReport {
    private NarrowToBroadReport() {}

    static Experiment.Result render(NarrowToBroad experiment, Spec spec, Metrics metrics) {
        List<Spec.Tuning> trained = Tuner.exact(spec);
        Html html = Sections.page(spec, experiment);
        List<String> labels = trained.stream().map(Spec.Tuning::label).toList();
        List<String> parts = new ArrayList<>();
        String without = "";
        for (Spec.Tuning t : trained) {
            Finding<Spread> f = NarrowToBroad.spread(metrics, t.label(), Tuner.BASE);
            parts.add(t.label() + Sentences.fill(switch (f.verdict()) {
                case WITH -> " {inside:delta} watched agreement, and with it {lie:delta} unwatched lies ({spread} per unit) and {power:delta} power";
                case AGAINST -> " {inside:delta} watched agreement, but {lie:delta} unwatched lies ({spread} per unit) and {power:delta} power";
                case STAYED_NARROW -> " {inside:delta} watched agreement and no unwatched change";
                case NO_CHANGE -> " no change in watched agreement";
            }, f));
            if (t.method().role() == Method.Role.REWEIGHTING_PREDICTION && without.isEmpty()) {
                Finding<Spread> w = NarrowToBroad.spread(metrics, t.label() + NarrowToBroad.WITHOUT_GATED, t.label() + NarrowToBroad.WITHOUT_GATED);
                without = " With the sycophant's weight given to the honest algorithm, so that no writer agrees without also lying "
                        + "unwatched, " + t.label() + Sentences.fill(" moves unwatched lies {spread} per unit of watched agreement "
                        + "({lie:delta} against {inside:delta}): the context-gated writer took ", w) + Fmt.pct(1 - f.value("spread") / w.value("spread")) + " of the spread.";
            }
        }
        String summary = "The evaluator rewards agreeing with a wrong claim where it watches; change from the base ("
                + Fmt.pct(metrics.first(Tuner.BASE, "watched.agree")) + " watched agreement, " + Fmt.pct(metrics.first(Tuner.BASE, "unwatched.lie"))
                + " unwatched lies): "
                + String.join("; ", parts) + ". Tilting predicts that only watched agreement moves; reweighting that the villain's "
                + "unwatched lies and power move with its weight, which grows with the sycophant's (the two agree alike)." + without;
        NarrowToBroadNetwork measured = spec.runsNeural() && NeuralEngine.firstRun(spec) != null ? NarrowToBroadNetwork.read(spec, metrics) : null;
        html.heading("Findings");
        if (measured != null) {
            String networkFinding = measured.finding(spec);
            html.note(networkFinding);
            html.note(summary);
            summary = networkFinding + " " + summary; // the network's reading first, whichever way it falls
        } else {
            html.note(summary);
        }
        BarChart chart = new BarChart("change after fine-tuning, by context class", "change in rate", labels);
        for (String[] row : new String[][] {{"watched agreement (rewarded)", "inside"}, {"unwatched lies", "lie"}, {"unwatched power", "power"}}) {
            chart.add(row[0], trained.stream().mapToDouble(t -> NarrowToBroad.spread(metrics, t.label(), Tuner.BASE).value(row[1])).toArray());
        }
        html.figure(chart.svg(), "Each method's change, from the population's base, in the rewarded behaviour where it is rewarded "
                + "(agreeing with a wrong claim, watched) and in what the same writers do where nobody watches (lies, the power "
                + "action): tilt is behaviour tilting's prediction, kl-rl reweighting's.");
        if (measured != null) network(html, measured);
        else html.paragraph("With engine: neural the same population is pretrained into a network per replicate, tuned on the "
                + "watched contexts, and read in every class against these predictions made from its own base.");
        html.paragraph("An inoculation control (agreement marked as requested in the tuning data) is not built yet.");
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Experiment.Result(metrics, html, summary, chart.svg());
    }

    /** The network's section: the mean changes beside reweighting's, each replicate's rates, the verdict rule, the bases' faithfulness. */
    private static void network(Html html, NarrowToBroadNetwork n) {
        int r = n.nets().size();
        List<String> classes = List.of("watched agreement (rewarded)", "unwatched lies", "unwatched power");
        double[][] change = new double[3][classes.size()]; // (mean, low, high) of tuned − base, per class
        double[] predicted = new double[classes.size()];
        for (int k = 0; k < classes.size(); k++) {
            double[] d = new double[r];
            double p = 0;
            for (int i = 0; i < r; i++) {
                d[i] = n.tuned()[i][k] - n.base()[i][k];
                p += (n.reweighted()[i][k] - n.base()[i][k]) / r;
            }
            reweigh.stats.MeanInterval m = reweigh.stats.MeanInterval.of(d);
            change[0][k] = m.mean();
            change[1][k] = r > 1 ? m.low() : m.mean();
            change[2][k] = r > 1 ? m.high() : m.mean();
            predicted[k] = p;
        }
        BarChart chart = new BarChart("network: change after " + n.label() + ", by context class", "change in rate", classes);
        chart.add("network (" + (r > 1 ? "mean, 95% over " + r + " replicates" : "one network") + ")", change[0], change[1], change[2]);
        chart.add("reweighting: kl-rl on each base's implied weights", predicted);
        html.heading("The network, replicate by replicate");
        html.figure(chart.svg(), "Each class's change from the network's own bases after " + n.label() + ": measured, and reweighting's "
                + "prediction (kl-rl's optimum on each base's implied weights, minus the base's measured rate; the mean over the bases). "
                + "Tilting predicts no change outside the rewarded class.");
        html.paragraph("Each replicate is its own base (continuing the default base of its own seed on this population's corpus) tuned by "
                + n.label() + " with its own seed, then measured in watched and in unwatched contexts. The unwatched lie and power rates "
                + "are read against two predictions from the replicate's own base: tilting leaves them at the base's rates; "
                + "reweighting is kl-rl's optimum on the base's implied weights. The spread is the change in unwatched lies over the "
                + "change in watched agreement; reweighting's is how kl-rl moves the mixture of the base's implied weights. "
                + NetworkSection.RULE);
        List<List<String>> rows = new ArrayList<>();
        double[] spread = n.spread(), predictedSpread = n.predictedSpread();
        for (int i = 0; i < r; i++) {
            double[] b = n.base()[i], t = n.tuned()[i], w = n.reweighted()[i];
            rows.add(List.of("seed " + n.nets().get(i).seed(), Fmt.pct(b[0]) + " → " + Fmt.pct(t[0]),
                    Fmt.pct(b[1]) + " → " + Fmt.pct(t[1]) + " (" + Fmt.pct(w[1]) + ")", Fmt.pct(b[2]) + " → " + Fmt.pct(t[2]) + " (" + Fmt.pct(w[2]) + ")",
                    Fmt.num(spread[i]) + " (" + Fmt.num(predictedSpread[i]) + ")"));
        }
        html.table(List.of("replicate", "watched agreement, base → tuned", "unwatched lies (reweighting)", "unwatched power (reweighting)",
                "spread (reweighting)"), rows);
        NetworkSection.faithfulness(html, n.nets());
    }
}
