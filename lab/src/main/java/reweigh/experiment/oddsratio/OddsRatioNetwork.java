package reweigh.experiment.oddsratio;

import java.util.ArrayList;
import java.util.List;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.Replicates.Replicate;
import reweigh.experiment.Tuner;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.MeanInterval;

/** Odds-ratio's network over its replicates: the implied log-odds of each method's tuned networks against both predictions. */
final class OddsRatioNetwork {
    private OddsRatioNetwork() {}

    /** Each network method's implied log-odds after tuning, read against both predictions from its replicate's base. */
    static List<NetworkSection.Reading> readings(Spec spec, List<Replicate> nets) {
        return NetworkSection.readings(nets, m -> m.logOdds(spec.odds().numerator(), spec.odds().denominator()),
                b -> Tuner.logOdds(spec, NetworkSection.reweighted(spec, b.weights())));
    }

    /** The network's finding and figure under Findings: the figure becomes {@code headline[0]}. */
    static String verdict(Html html, Spec spec, Metrics metrics, List<Replicate> nets, String[] headline) {
        String pair = spec.odds().numerator() + ":" + spec.odds().denominator();
        MeanInterval before = NetworkSection.bases(nets, b -> b.logOdds(spec.odds().numerator(), spec.odds().denominator()).value());
        MeanInterval predicted = NetworkSection.bases(nets, b -> Tuner.logOdds(spec, NetworkSection.reweighted(spec, b.weights())));
        String finding = "On the network, over " + NetworkSection.replicates(nets) + ", the bases' implied " + pair + " log-odds are "
                + NetworkSection.pooled(before, Fmt::num) + " (reweighting predicts " + NetworkSection.pooled(predicted, Fmt::num)
                + " after tuning, tilting no change). After tuning, " + NetworkSection.byReading(readings(spec, nets),
                        r -> NetworkSection.pooled(r.pooled(), Fmt::num)) + ".";
        html.note(finding);
        headline[0] = NetworkSection.logOddsFigure(html, spec, metrics, nets, before.mean(), predicted.mean());
        return finding;
    }

    /**
     * The neural engine's section: implied log-odds over training, over the replicates, beside both predictions
     * from each replicate's own base; one verdict per method.
     */
    static void network(Html html, Spec spec, Metrics metrics, List<Replicate> nets) {
        MeanInterval before = NetworkSection.bases(nets, b -> b.logOdds(spec.odds().numerator(), spec.odds().denominator()).value());
        html.heading("The network");
        html.paragraph("A transformer pretrained on episodes written by the population, then fine-tuned by each method on observed "
                + "training contexts, measured in deployment contexts: each prompt's exact response distribution, and the implied "
                + "algorithm weights fitted by EM over the known algorithms. Measured on " + NetworkSection.replicates(nets)
                + ", each pretrained, tuned and measured with its own seeds. Predictions start from each replicate's own base: "
                + "behaviour tilting leaves its implied weights as they are; reweighting multiplies them by exp(R/beta) with beta = "
                + Fmt.num(NetworkSection.beta(spec)) + ". " + NetworkSection.RULE);
        List<List<String>> rows = new ArrayList<>();
        for (NetworkSection.Reading r : readings(spec, nets)) {
            rows.add(List.of(r.label(), r.verdict().sentence(), NetworkSection.pooled(before, Fmt::num),
                    NetworkSection.pooled(r.pooled(), Fmt::num), NetworkSection.each(r.value(), Fmt::num)));
        }
        html.table(List.of("network method", "reading over replicates", "log-odds before, mean [95%]", "after, mean [95%]", "each replicate after"), rows);
        NetworkSection.trainingFigures(html, metrics, nets);
        NetworkSection.faithfulness(html, nets);
    }
}
