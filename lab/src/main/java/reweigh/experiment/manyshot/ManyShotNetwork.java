package reweigh.experiment.manyshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.manyshot.ManyShot.Model;
import reweigh.experiment.manyshot.ManyShot.Settings;
import reweigh.measure.DecayFit;
import reweigh.measure.Finding;
import reweigh.measure.ShotCurve;
import reweigh.report.Fmt;
import reweigh.report.Sentences;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.MeanInterval;

/** The many-shot report's network part: its curves read back, the weights its base implies, and the finding in words. */
final class ManyShotNetwork {
    private ManyShotNetwork() {}

    /**
     * The network's part: its curves (base, then each tuned policy), the exact curves from the weights it
     * implies, its base's implied weights, and the finding in words.
     */
    record Network(List<Model> measured, List<Model> implied, double[] baseWeights, String finding) {}

    /** The network's part as {@link #network} recorded it. */
    static Network network(Spec spec, Settings s, Metrics metrics) {
        List<Model> network = new ArrayList<>(List.of(ManyShotReport.recorded(metrics, s, NeuralEngine.BASE, "network base")));
        List<Model> implied = new ArrayList<>(List.of(ManyShotReport.recorded(metrics, s, NeuralEngine.BASE + ":implied", "exact, network base's weights")));
        for (Spec.Tuning t : spec.methods()) {
            if (t.network() == null) continue;
            network.add(ManyShotReport.recorded(metrics, s, NeuralEngine.PREFIX + t.label(), "network " + t.label()));
            implied.add(ManyShotReport.recorded(metrics, s, NeuralEngine.PREFIX + t.label() + ":implied", "exact, network " + t.label() + "'s weights"));
        }
        double[] baseWeights = new Replicates.Recorded(spec, metrics, NeuralEngine.BASE).weights();
        List<String> parts = new ArrayList<>();
        for (Model m : network) parts.add(m.label() + ": " + ManyShotReport.ranking(m, s));
        return new Network(network, implied, baseWeights, "The network: the first of its shots " + s.shots()
                + " at which P(b | k) reaches " + Fmt.num(s.threshold()) + ", fastest first. " + String.join(". ", parts) + ". "
                + rises(network.get(0), implied.get(0), spec.replicateSeeds()));
    }

    /** What the network's intervals are over: "95% bootstrap intervals over prompts" for one network, else over the replicates. */
    static String intervals(Spec spec) {
        int n = spec.runsNeural() ? spec.neural().replicates() : 1;
        return n > 1 ? "95% t-intervals over " + n + " replicates around their means" : "95% bootstrap intervals over prompts";
    }

    /** Whether a network curve's P(b | k) rises with the shots shown: its interval at the most shots above its interval at none, below it, or neither. */
    enum Rise { RISES, FALLS, NO_CLEAR_CHANGE }

    /**
     * The network's curve against its first shot count: numbers {@code p0} and {@code pLast} (P(b | k) at the first and
     * the last k, each with its 95% bootstrap interval over prompts), {@code k0} and {@code kLast}, and {@code implied0} and
     * {@code impliedLast}, the exact engine's prediction at those k from the weights the network implies.
     */
    static Finding<Rise> rise(ShotCurve measured, ShotCurve implied) {
        int last = measured.p().length - 1;
        double[][] band = measured.pBand();
        Rise verdict = band[last][0] > band[0][1] ? Rise.RISES : band[last][1] < band[0][0] ? Rise.FALLS : Rise.NO_CLEAR_CHANGE;
        return Finding.of(verdict).with("p0", new MeanInterval(1, measured.p()[0], band[0][0], band[0][1]))
                .with("pLast", new MeanInterval(1, measured.p()[last], band[last][0], band[last][1]))
                .with("k0", measured.shots()[0]).with("kLast", measured.shots()[last])
                .with("implied0", implied.p()[0]).with("impliedLast", implied.p()[last]);
    }

    /** {@link #rise} for each of the base's curves, grouped by verdict; its intervals are over the replicates of {@code seeds} when there are several. */
    private static String rises(Model base, Model implied, long[] seeds) {
        Map<Rise, List<String>> by = new java.util.EnumMap<>(Rise.class);
        Finding<Rise> any = null;
        for (Map.Entry<String, ShotCurve> e : base.curves().entrySet()) {
            Finding<Rise> f = rise(e.getValue(), implied.curves().get(e.getKey()));
            any = f;
            by.computeIfAbsent(f.verdict(), v -> new ArrayList<>()).add(e.getKey() + Sentences.fill(" {p0:ci} → {pLast:ci} (exact from its implied "
                    + "weights {implied0} → {impliedLast})", f));
        }
        if (any == null) return "";
        List<String> groups = new ArrayList<>();
        by.forEach((v, list) -> groups.add(switch (v) {
            case RISES -> "rises for ";
            case FALLS -> "falls for ";
            case NO_CLEAR_CHANGE -> "shows no clear change (the two intervals overlap) for ";
        } + String.join(", ", list)));
        String over = seeds.length > 1 ? "the mean over " + seeds.length + " replicates (seeds " + seeds[0] + "–" + seeds[seeds.length - 1]
                + "), 95% t-intervals over them" : "one network, 95% bootstrap intervals over prompts, not a verdict over replicates";
        return Sentences.fill("Does the base read the shots? From k = {k0:int} to k = {kLast:int} its P(b | k) (" + over + ") ", any)
                + String.join("; ", groups) + ".";
    }

    /** How much of each network curve's rise happens at the first shot: P(b | 0) → P(b | 1) → P(b | last k). */
    static String firstShot(List<Model> network) {
        List<String> parts = new ArrayList<>();
        for (Model m : network) {
            List<String> curves = new ArrayList<>();
            for (Map.Entry<String, ShotCurve> e : m.curves().entrySet()) {
                double[] p = e.getValue().p();
                curves.add(e.getKey() + " " + Fmt.num(p[0]) + " → " + Fmt.num(p[1]) + " → " + Fmt.num(p[p.length - 1]));
            }
            parts.add(m.label() + ": " + String.join(", ", curves));
        }
        return "The network's P(b | k) at k = 0, at the first shot, and at the most shots: " + String.join("; ", parts) + ".";
    }

    /**
     * Whether the network's base learnt the algorithms as written: its implied weights (EM over the known
     * algorithms, single-turn deployment prompts) against w0. An honest weight far below w0 means it does not
     * compute the answer, so behaviours defined by the answer (correct, lie, wrong) cannot rise above guessing.
     */
    static String learnt(Spec spec, double[] implied) {
        List<String> parts = new ArrayList<>();
        for (int a = 0; a < implied.length; a++) {
            parts.add(spec.population().get(a).name() + " " + Fmt.num(implied[a]) + " (w0 " + Fmt.num(spec.population().get(a).prior()) + ")");
        }
        return "The network base's implied weights in deployment contexts: " + String.join(", ", parts) + ". Where the honest "
                + "weight is far below w0 and the guesser's far above, the base has not learnt the (A + B) mod M table: it cannot "
                + "tell Y from Y+1, so no number of shots makes correct, lie or wrong more likely than guessing allows; agree (copy "
                + "the claim) and power (the power token) need no arithmetic and are read cleanly.";
    }

    static String networkShape(Settings s, List<Model> network) {
        int power = 0, total = 0;
        for (Model m : network) {
            for (ShotCurve c : m.curves().values()) {
                if (c.power() == null) continue;
                total++;
                if (c.better().form() == DecayFit.Form.POWER) power++;
            }
        }
        return "The network's NLL curves (k = " + s.shots().subList(1, s.shots().size()) + ") are better fitted by the power law in "
                + power + " of " + total + " and by the exponential in the rest (AIC).";
    }

    /** How often the exact prediction from the network's own implied weights, and from the population, fall within the network's interval. */
    static String agreement(List<Model> network, List<Model> implied, Model population) {
        int inImplied = 0, inPopulation = 0, points = 0;
        for (int m = 0; m < network.size() && m < implied.size(); m++) {
            for (Map.Entry<String, ShotCurve> e : network.get(m).curves().entrySet()) {
                ShotCurve measured = e.getValue();
                ShotCurve predicted = implied.get(m).curves().get(e.getKey());
                ShotCurve exact = population.curves().get(e.getKey());
                for (int i = 0; i < measured.shots().length; i++) {
                    double lo = measured.pBand()[i][0], hi = measured.pBand()[i][1];
                    points++;
                    if (lo <= predicted.p()[i] && predicted.p()[i] <= hi) inImplied++;
                    int k = measured.shots()[i];
                    if (m == 0 && k < exact.p().length && lo <= exact.p()[k] && exact.p()[k] <= hi) inPopulation++;
                }
            }
        }
        int basePoints = network.isEmpty() ? 0 : network.get(0).curves().size() * network.get(0).curves().values().iterator().next().shots().length;
        return "Against the exact engine: the prediction from the network's own implied weights lies inside the network's 95% "
                + "interval of P(b | k) at " + inImplied + " of " + points + " (model, behaviour, k) points; the population's exact "
                + "curve lies inside the network base's interval at " + inPopulation + " of " + basePoints + ". Where they miss, "
                + "the network's in-context inference differs from Bayesian updating over the algorithms it was trained on "
                + "(reported as measured).";
    }
}
