package reweigh.experiment.narrowtobroad;

import java.util.ArrayList;
import java.util.List;
import reweigh.experiment.Experiment;
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
        html.heading("Findings");
        html.note(summary);
        BarChart chart = new BarChart("change after fine-tuning, by context class", "change in rate", labels);
        for (String[] row : new String[][] {{"watched agreement (rewarded)", "inside"}, {"unwatched lies", "lie"}, {"unwatched power", "power"}}) {
            chart.add(row[0], trained.stream().mapToDouble(t -> NarrowToBroad.spread(metrics, t.label(), Tuner.BASE).value(row[1])).toArray());
        }
        html.figure(chart.svg(), "Each method's change, from the population's base, in the rewarded behaviour where it is rewarded "
                + "(agreeing with a wrong claim, watched) and in what the same writers do where nobody watches (lies, the power "
                + "action): tilt is behaviour tilting's prediction, kl-rl reweighting's.");
        html.paragraph("The network's part of this experiment (the same population pretrained into a network, tuned on the watched "
                + "contexts, read in every class over replicates, with an inoculation control that marks agreement as requested) is "
                + "not built yet; these are the exact engine's predictions it would be read against.");
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Experiment.Result(metrics, html, summary, chart.svg());
    }
}
