package reweigh.experiment.manyshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.Sections;
import reweigh.experiment.Tuner;
import reweigh.experiment.manyshot.ManyShot.Model;
import reweigh.experiment.manyshot.ManyShot.Settings;
import reweigh.measure.DecayFit;
import reweigh.measure.InContext;
import reweigh.measure.ShotCurve;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.run.Metrics;
import reweigh.spec.Spec;

/**
 * The many-shot experiment's report, from the spec and the metrics its compute recorded: the curves read back as
 * {@link ShotCurve}s and the page laid out; the words are {@link ManyShotFindings}' and {@link ManyShotNetwork}'s, the
 * figures and the fit table {@link ManyShotFigures}'.
 */
final class ManyShotReport {
    private ManyShotReport() {}

    /** The report of a many-shot run from its spec and metrics alone. */
    static Experiment.Result render(ManyShot experiment, Spec spec, Metrics metrics) {
        Settings s = spec.settings(Settings.class);
        List<String> labels = new ArrayList<>(List.of(Tuner.BASE));
        for (Spec.Tuning t : Tuner.exact(spec)) if (metrics.has(t.label(), "weight." + spec.population().names().get(0))) labels.add(t.label());
        List<double[]> weights = labels.stream().map(l -> Tuner.lastWeights(spec, metrics, l)).toList();
        List<Model> exact = new ArrayList<>();
        List<Model> continuum = new ArrayList<>();
        for (String label : labels) {
            exact.add(recorded(metrics, s, label, label));
            continuum.add(recorded(metrics, s, ManyShot.CONTINUUM + label, label + " (continuum)"));
        }

        Html html = Sections.page(spec, experiment);
        html.heading("Findings");
        String summary = ManyShotFindings.exactFinding(s, exact);
        html.note(summary);
        ManyShotNetwork.Network net = spec.runsNeural() ? ManyShotNetwork.network(spec, s, metrics) : null;
        List<Model> network = net == null ? List.of() : net.measured();
        List<Model> implied = net == null ? List.of() : net.implied();
        String headline = elicitFigure(s, exact, network);
        html.figure(headline, "The finding as one picture: for each behaviour, how many earlier turns showing it "
                + "bring P(it shows at the next turn) to " + Fmt.num(s.threshold()) + ", per model: the exact engine's real k where its "
                + "curve crosses" + (network.isEmpty() ? "" : ", and the network's first measured k of " + s.shots()) + ". ∞: never"
                + (network.isEmpty() ? "" : " (on the network, not within its shots)") + "; no bar above 0: shown without any shots. "
                + "A shorter bar is a behaviour that returns sooner.");
        html.paragraph(ManyShotFindings.shape(s, exact, continuum));
        html.details("How these follow: the prior log-odds each method moved, and the fitted intercepts and exponents, model "
                + "by model", List.of(ManyShotFindings.relation(spec, s, labels, weights, exact), ManyShotFindings.fitsMoved(s, exact, continuum)));

        if (net != null) {
            summary += " " + net.finding();
            html.heading("The network");
            html.note(net.finding());
            html.paragraph(ManyShotNetwork.networkShape(s, network) + " " + ManyShotFindings.interceptOrExponent(network, "the network, "
                    + ManyShotNetwork.intervals(spec) + " (moved = disjoint intervals)"));
            html.paragraph(ManyShotNetwork.firstShot(network) + " " + ManyShotNetwork.learnt(spec, net.baseWeights()));
            html.paragraph(ManyShotNetwork.agreement(network, implied, exact.get(0)));
            html.paragraph("The network's base was pretrained on episodes of " + spec.neural().base().minTurns() + " to "
                    + spec.neural().base().maxTurns() + " turns, so every k shown is a position it saw in pretraining. Its curves are "
                    + "read from its own next-token probabilities after k demonstrations (" + s.prompts() + " questions per "
                    + "behaviour, the same questions at every k and for every model). Dashed beside them: the exact engine's "
                    + "prediction from the weights the network implies in single-turn deployment contexts (EM over the known "
                    + "algorithms), before and after tuning.");
        }
        html.heading("Curves");
        for (String b : s.behaviours()) {
            String chart = ManyShotFigures.chart(s, b, "P", exact, continuum, network, implied);
            html.figure(chart, "P(" + b + " at the next turn | k earlier turns showing " + b + "), log k. Solid: the population as a "
                    + "finite mixture (exact Bayesian updating); dashed: the base's Beta continuum (same P at k = 0) and, beside the "
                    + "network's curves with their 95% bands, the exact prediction from the network's own implied weights.");
            html.figure(ManyShotFigures.chart(s, b, "NLL", exact, continuum, network, implied), "NLL = −log P(" + b + " | k) on log-log axes. "
                    + "Finely dashed over each curve, in its colour: its power-law fit C·k^(−α) + K over k ≥ 1 (the table below; "
                    + "none where the NLL is flat or infinite).");
        }
        html.heading("Fits and shots to elicit");
        ManyShotFigures.fitTable(html, s, exact, continuum, network, ManyShotNetwork.intervals(spec));
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Experiment.Result(metrics, html, summary, headline);
    }

    /** A model's curves as {@link #emit} recorded them in {@code series}. */
    static Model recorded(Metrics metrics, Settings s, String series, String label) {
        Map<String, ShotCurve> curves = new LinkedHashMap<>();
        for (String b : s.behaviours()) {
            String at = "shots." + b;
            int[] shots = java.util.Arrays.stream(metrics.steps(series, at + ".p")).mapToInt(k -> (int) k).toArray();
            double[][] pBand = metrics.has(series, at + ".p.lo95") ? band(metrics, series, at + ".p") : null;
            double[][] nllBand = metrics.has(series, at + ".nll.lo95") ? band(metrics, series, at + ".nll") : null;
            String fit = "fit." + b + ".";
            reweigh.measure.DecayFit power = fit(metrics, series, fit + "power.", DecayFit.Form.POWER, "alpha");
            reweigh.measure.DecayFit exponential = fit(metrics, series, fit + "exp.", DecayFit.Form.EXPONENTIAL, "lambda");
            double[][] powerBand = null;
            if (metrics.has(series, fit + "power.c.lo95")) {
                powerBand = new double[3][];
                String[] names = {"c", "alpha", "k"};
                for (int j = 0; j < 3; j++) {
                    powerBand[j] = new double[] {metrics.last(series, fit + "power." + names[j] + ".lo95"), metrics.last(series, fit + "power." + names[j] + ".hi95")};
                }
            }
            double crossing = metrics.has(series, "elicit." + b + ".real") ? metrics.last(series, "elicit." + b + ".real")
                    : metrics.has(series, "elicit." + b + ".never") ? Double.POSITIVE_INFINITY : Double.NaN;
            curves.put(b, new ShotCurve(shots, metrics.values(series, at + ".p"), metrics.values(series, at + ".nll"), pBand, nllBand,
                    power, exponential, powerBand, crossing));
        }
        return new Model(series, label, curves);
    }

    /** (shots, 2): each shot's recorded 95% band. */
    private static double[][] band(Metrics metrics, String series, String metric) {
        double[] lo = metrics.values(series, metric + ".lo95"), hi = metrics.values(series, metric + ".hi95");
        double[][] out = new double[lo.length][];
        for (int i = 0; i < lo.length; i++) out[i] = new double[] {lo[i], hi[i]};
        return out;
    }

    private static DecayFit fit(Metrics metrics, String series, String prefix, DecayFit.Form form, String rate) {
        if (!metrics.has(series, prefix + "c")) return null;
        return new DecayFit(form, metrics.last(series, prefix + "c"), metrics.last(series, prefix + rate), metrics.last(series, prefix + "k"),
                metrics.last(series, prefix + "rss"), (int) metrics.last(series, prefix + "points"));
    }

    static String elicit(int k) { return k < 0 ? "never" : Integer.toString(k); }

    static String shots(double k) { return k < Double.POSITIVE_INFINITY ? Fmt.num(k) : "never"; }

    /**
     * How many shots a behaviour needs in a model: the real crossing on the exact engine ({@link
     * InContext#crossing}), else the first measured k; +∞ when never.
     */
    static double needed(ShotCurve c, Settings s) {
        if (!Double.isNaN(c.crossing())) return c.crossing();
        int k = c.shotsToElicit(s.threshold());
        return k < 0 ? Double.POSITIVE_INFINITY : k;
    }

    /** Shots each behaviour needs to reach the threshold, per model: the exact engine's, then the network's beside them. */
    private static String elicitFigure(Settings s, List<Model> exact, List<Model> network) {
        BarChart chart = new BarChart("Shots until P(b | k) ≥ " + Fmt.num(s.threshold()) + ", per behaviour and model",
                "shots k (∞: never)", s.behaviours());
        for (List<Model> models : List.of(exact, network)) {
            for (Model m : models) chart.add(m.label(), s.behaviours().stream().mapToDouble(b -> needed(m.curves().get(b), s)).toArray());
        }
        return chart.svg(960, 360);
    }

    /** The behaviours of a model ranked by the shots they need, fastest first: "power 0.376 < lie 0.38 < ...; never: wrong". */
    static String ranking(Model m, Settings s) {
        List<Map.Entry<String, ShotCurve>> entries = new ArrayList<>(m.curves().entrySet());
        entries.sort(java.util.Comparator.comparingDouble(e -> needed(e.getValue(), s)));
        List<String> elicited = new ArrayList<>(), never = new ArrayList<>();
        for (Map.Entry<String, ShotCurve> e : entries) {
            double k = needed(e.getValue(), s);
            if (k < Double.POSITIVE_INFINITY) elicited.add(e.getKey() + " " + Fmt.num(k));
            else never.add(e.getKey());
        }
        return (elicited.isEmpty() ? "none within the shots" : String.join(" < ", elicited))
                + (never.isEmpty() ? "" : "; never: " + String.join(", ", never));
    }

}
