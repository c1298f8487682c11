package reweigh.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import reweigh.experiment.ManyShot.Model;
import reweigh.experiment.ManyShot.Settings;
import reweigh.measure.DecayFit;
import reweigh.measure.InContext;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.world.Context;

/**
 * The many-shot experiment's report, from the spec and the metrics its compute recorded: the curves read back as
 * {@link ShotCurve}s, the findings in words, the figures and the fit table.
 */
final class ManyShotReport {
    private ManyShotReport() {}

    /** The report of a many-shot run from its spec and metrics alone. */
    static Experiment.Result render(ManyShot experiment, Spec spec, Metrics metrics) {
        Settings s = spec.settings(Settings.class);
        List<String> labels = new ArrayList<>(List.of(ManyShot.BASE));
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
        String summary = exactFinding(s, exact);
        html.note(summary);
        Network net = spec.runsNeural() ? network(spec, s, metrics) : null;
        List<Model> network = net == null ? List.of() : net.measured();
        List<Model> implied = net == null ? List.of() : net.implied();
        String headline = elicitFigure(s, exact, network);
        html.figure(headline, "The finding as one picture: for each behaviour, how many earlier turns showing it "
                + "bring P(it shows at the next turn) to " + Fmt.num(s.threshold()) + ", per model: the exact engine's real k where its "
                + "curve crosses" + (network.isEmpty() ? "" : ", and the network's first measured k of " + s.shots()) + ". ∞: never"
                + (network.isEmpty() ? "" : " (on the network, not within its shots)") + "; no bar above 0: shown without any shots. "
                + "A shorter bar is a behaviour that returns sooner.");
        html.paragraph(shape(s, exact, continuum));
        html.details("How these follow: the prior log-odds each method moved, and the fitted intercepts and exponents, model "
                + "by model", List.of(relation(spec, s, labels, weights, exact), fitsMoved(s, exact, continuum)));

        if (net != null) {
            summary += " " + net.finding();
            html.heading("The network");
            html.note(net.finding());
            html.paragraph(networkShape(s, network) + " " + interceptOrExponent(network, "the network, 95% bootstrap intervals "
                    + "over prompts (moved = disjoint intervals)"));
            html.paragraph(firstShot(network) + " " + learnt(spec, net.baseWeights()));
            html.paragraph(agreement(network, implied, exact.get(0)));
            html.paragraph("The network's base was pretrained on episodes of " + spec.neural().base().minTurns() + " to "
                    + spec.neural().base().maxTurns() + " turns, so every k shown is a position it saw in pretraining. Its curves are "
                    + "read from its own next-token probabilities after k demonstrations (" + s.prompts() + " questions per "
                    + "behaviour, the same questions at every k and for every model). Dashed beside them: the exact engine's "
                    + "prediction from the weights the network implies in single-turn deployment contexts (EM over the known "
                    + "algorithms), before and after tuning.");
        }
        html.heading("Curves");
        for (String b : s.behaviours()) {
            String chart = chart(s, b, "P", exact, continuum, network, implied);
            html.figure(chart, "P(" + b + " at the next turn | k earlier turns showing " + b + "), log k. Solid: the population as a "
                    + "finite mixture (exact Bayesian updating); dashed: the base's Beta continuum (same P at k = 0) and, beside the "
                    + "network's curves with their 95% bands, the exact prediction from the network's own implied weights.");
            html.figure(chart(s, b, "NLL", exact, continuum, network, implied), "NLL = −log P(" + b + " | k) on log-log axes. "
                    + "Finely dashed over each curve, in its colour: its power-law fit C·k^(−α) + K over k ≥ 1 (the table below; "
                    + "none where the NLL is flat or infinite).");
        }
        html.heading("Fits and shots to elicit");
        fitTable(html, s, exact, continuum, network);
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

    // ------------------------------------------------------------------ findings

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

    private static String exactFinding(Settings s, List<Model> exact) {
        List<String> parts = new ArrayList<>();
        for (Model m : exact) parts.add(m.label() + ": " + ranking(m, s));
        return "Exact engine (Bayesian updating over the population): shots until P(b | k) reaches " + Fmt.num(s.threshold())
                + " (k read as a real number), fastest first. " + String.join(". ", parts) + ".";
    }

    /**
     * Shots-to-elicit against the prior log-odds fine-tuning removed: for each behaviour, the likeliest
     * writer a1 and the runner-up a2 (by pi_a(b | x)); the posterior log-odds of a1 : a2 after k shots are
     * the prior's plus k·log(pi_1/pi_2), so removing Δ nats of prior log-odds costs Δ/log(pi_1/pi_2) shots.
     */
    private static String relation(Spec spec, Settings s, List<String> labels, List<double[]> weights, List<Model> exact) {
        List<String> parts = new ArrayList<>();
        Context x = ManyShot.context(spec);
        for (String b : s.behaviours()) {
            double[] pi = InContext.likelihoods(spec.population(), x, ManyShot.shown(b));
            int a1 = -1, a2 = -1;
            for (int a = 0; a < pi.length; a++) {
                if (pi[a] == 0) continue;
                if (a1 < 0 || pi[a] > pi[a1]) {
                    a2 = a1;
                    a1 = a;
                } else if (a2 < 0 || pi[a] > pi[a2]) a2 = a;
            }
            if (a1 < 0 || a2 < 0 || pi[a1] == pi[a2]) continue;
            double llr = Math.log(pi[a1] / pi[a2]);
            double prior = Math.log(weights.get(0)[a1] / weights.get(0)[a2]);
            double k0 = needed(exact.get(0).curves().get(b), s);
            List<String> moves = new ArrayList<>();
            for (int m = 1; m < labels.size(); m++) {
                double lo = Math.log(weights.get(m)[a1] / weights.get(m)[a2]);
                double k = needed(exact.get(m).curves().get(b), s);
                moves.add(labels.get(m) + " " + Fmt.delta(lo - prior) + " nats (worth " + Fmt.num(Math.abs(lo - prior) / llr) + " shots of evidence): "
                        + shots(k0) + " → " + shots(k));
            }
            String a1n = spec.population().get(a1).name(), a2n = spec.population().get(a2).name();
            parts.add(b + " (" + a1n + " : " + a2n + ", " + Fmt.num(llr) + " nats per shot): " + String.join("; ", moves));
        }
        return "Why the shots needed move: after k shots the posterior log-odds of the likeliest writer against the runner-up are "
                + "the prior log-odds plus k·log(π₁/π₂) (tested), so each nat of prior log-odds that fine-tuning removes costs "
                + "1/log(π₁/π₂) more shots (exactly so with two writers, and k read as a real number). Per behaviour and tuned "
                + "model, the change in prior log-odds, the shots of evidence it is worth, and the shots to elicit in the full mixture, "
                + "base → tuned: " + String.join(". ", parts) + ".";
    }

    /** Which form fits each exact curve better: the finite mixture's, and the continuum's. */
    private static String shape(Settings s, List<Model> exact, List<Model> continuum) {
        int exponential = 0, total = 0, continuumPower = 0, continuumTotal = 0;
        for (Model m : exact) {
            for (ShotCurve c : m.curves().values()) {
                if (c.power() == null) continue;
                total++;
                if (c.better().form() == DecayFit.Form.EXPONENTIAL) exponential++;
            }
        }
        for (Model m : continuum) {
            for (ShotCurve c : m.curves().values()) {
                if (c.power() == null) continue;
                continuumTotal++;
                if (c.better().form() == DecayFit.Form.POWER) continuumPower++;
            }
        }
        return "Shape (fits of NLL over k = 1.." + s.exactShots() + ", the better form by AIC, both with 3 parameters): the finite "
                + "mixture's curves are better fitted by the exponential in " + exponential + " of " + total + " (a finite mixture "
                + "approaches its floor geometrically, at the rate π₂/π₁ of its two likeliest writers); the Beta continuum's by the "
                + "power law in " + continuumPower + " of " + continuumTotal + " (NLL ≈ β/(α+β+k)).";
    }

    /** What fine-tuning moved in the fits (intercept, exponent) of the finite mixture and of the continuum. */
    private static String fitsMoved(Settings s, List<Model> exact, List<Model> continuum) {
        return interceptOrExponent(exact, "fitted over k = 1.." + s.exactShots() + " to the finite mixture") + " "
                + asymptote(s, continuum) + " "
                + interceptOrExponent(continuum, "fitted over k = 1.." + s.exactShots() + " to the continuum (where the offset α+β "
                + "still bends the curve, so the fitted α is not yet the asymptotic 1)");
    }

    /** The continuum's exact tail: NLL·k → β = concentration·(1 − P(b | 0)), exponent 1 for every model. */
    private static String asymptote(Settings s, List<Model> continuum) {
        List<String> parts = new ArrayList<>();
        for (String b : s.behaviours()) {
            List<String> values = new ArrayList<>();
            for (Model m : continuum) values.add(Fmt.num(s.concentration() * (1 - m.curves().get(b).p()[0])));
            parts.add(b + " " + String.join(" → ", values));
        }
        List<String> names = continuum.stream().map(m -> m.label().replace(" (continuum)", "")).toList();
        return "In the continuum's tail NLL·k → β = (α+β)(1 − P(b | 0)) exactly, with exponent 1 for every model: fine-tuning "
                + "moves only this intercept, as Anil et al. report of safety training. β for " + String.join(" → ", names) + ": "
                + String.join("; ", parts) + ".";
    }

    /**
     * Whether fine-tuning moved the power law's intercept C, its exponent α, or both, between the first
     * model (the base) and each other one, per behaviour. With bootstrap intervals a parameter moved when the
     * intervals are disjoint; without (exact curves), when it changed by more than 10% of the base's value. An α
     * at the fit's bound ({@link DecayFit#rateAtBound}) is no measured exponent: it is named as such and not compared.
     */
    static String interceptOrExponent(List<Model> models, String what) {
        if (models.size() < 2) return "";
        Model base = models.get(0);
        List<String> parts = new ArrayList<>();
        for (Model tuned : models.subList(1, models.size())) {
            List<String> c = new ArrayList<>(), a = new ArrayList<>(), both = new ArrayList<>(), neither = new ArrayList<>(),
                    unmeasured = new ArrayList<>();
            for (String b : base.curves().keySet()) {
                ShotCurve before = base.curves().get(b), after = tuned.curves().get(b);
                if (before.power() == null || after.power() == null) continue;
                String intercept = "C " + Fmt.num(before.power().scale()) + " → " + Fmt.num(after.power().scale());
                boolean first = before.power().rateAtBound(), second = after.power().rateAtBound();
                if (first || second) {
                    unmeasured.add(b + " (" + intercept + (moved(before, after, 0) ? ", moved" : ", not moved") + "; α "
                            + Fmt.num((first ? before : after).power().rate()) + " in "
                            + (first && second ? "both" : first ? base.label() : tuned.label()) + ")");
                    continue;
                }
                boolean movedC = moved(before, after, 0), movedA = moved(before, after, 1);
                String entry = b + " (" + intercept + ", α " + Fmt.num(before.power().rate()) + " → " + Fmt.num(after.power().rate()) + ")";
                (movedC && movedA ? both : movedC ? c : movedA ? a : neither).add(entry);
            }
            List<String> said = new ArrayList<>();
            if (!c.isEmpty()) said.add("the intercept only for " + String.join(", ", c));
            if (!a.isEmpty()) said.add("the exponent only for " + String.join(", ", a));
            if (!both.isEmpty()) said.add("both for " + String.join(", ", both));
            if (!neither.isEmpty()) said.add("neither for " + String.join(", ", neither));
            String part = said.isEmpty() ? tuned.label() : tuned.label() + " moved " + String.join("; ", said);
            if (!unmeasured.isEmpty()) {
                part += (said.isEmpty() ? ": " : "; ") + "the exponent is at the fit's bound, so not a measured one to compare, for "
                        + String.join(", ", unmeasured);
            }
            if (!said.isEmpty() || !unmeasured.isEmpty()) parts.add(part);
        }
        if (parts.isEmpty()) return "";
        return "Power-law fits NLL = C·k^(−α) + K, " + what + ", base against each tuned model: " + String.join(". ", parts) + ".";
    }

    /** Parameter 0 (C) or 1 (α) of the power fit: disjoint 95% intervals, or a change beyond 10% without intervals. */
    private static boolean moved(ShotCurve before, ShotCurve after, int parameter) {
        double vb = parameter == 0 ? before.power().scale() : before.power().rate();
        double va = parameter == 0 ? after.power().scale() : after.power().rate();
        if (before.powerBand() != null && after.powerBand() != null) {
            double[] ib = before.powerBand()[parameter], ia = after.powerBand()[parameter];
            return ia[0] > ib[1] || ia[1] < ib[0];
        }
        return Math.abs(va - vb) > 0.1 * Math.abs(vb);
    }

    // ------------------------------------------------------------------ figures and tables

    private static String chart(Settings s, String b, String what, List<Model> exact, List<Model> continuum,
                                List<Model> network, List<Model> implied) {
        boolean p = what.equals("P");
        LineChart chart = new LineChart((p ? "P(" : "NLL of ") + b + (p ? " | k shots)" : " after k shots"), "shots k (log)",
                p ? "P(" + b + " next)" : "−log P(" + b + ")").logX();
        if (!p) chart.logY();
        else chart.yRange(0, 1);
        for (Model m : exact) add(chart, m, b, p, false);
        add(chart, continuum.get(0), b, p, true); // the base's continuum; the tuned ones are in the table
        for (Model m : implied) add(chart, m, b, p, true);
        for (Model m : network) add(chart, m, b, p, false);
        if (p) chart.hline(s.threshold(), "elicited");
        return chart.svg();
    }

    private static void add(LineChart chart, Model m, String b, boolean p, boolean dashed) {
        ShotCurve c = m.curves().get(b);
        double[] k = java.util.Arrays.stream(c.shots()).asDoubleStream().toArray();
        Series series = Series.line(m.label(), k, p ? c.p() : c.nll());
        if (c.hasBands()) {
            double[][] band = p ? c.pBand() : c.nllBand();
            series = series.withBand(c.column(band, 0), c.column(band, 1)).linePoints();
        } else if (dashed) series = series.dashed();
        chart.add(series);
        if (!p && c.power() != null) {
            double[] at = fitted(c);
            chart.fit(at, java.util.Arrays.stream(at).map(c.power()::predict).toArray(), m.label() + ": NLL ≈ "
                    + Fmt.num(c.power().scale()) + "·k^(−" + Fmt.num(c.power().rate()) + atBound(c.power()) + ") + "
                    + Fmt.num(c.power().floor()) + " (power-law fit)");
        }
    }

    /** Where a fit is drawn: 48 k spaced evenly on the log axis over the k it was fitted to (1 to the most shots). */
    private static double[] fitted(ShotCurve c) {
        double most = c.shots()[c.shots().length - 1];
        return IntStream.range(0, 48).mapToDouble(i -> Math.pow(most, i / 47.0)).toArray();
    }

    static void fitTable(Html html, Settings s, List<Model> exact, List<Model> continuum, List<Model> network) {
        List<List<String>> rows = new ArrayList<>();
        List<Model> all = new ArrayList<>(exact);
        all.addAll(continuum);
        all.addAll(network);
        for (String b : s.behaviours()) {
            for (Model m : all) {
                ShotCurve c = m.curves().get(b);
                List<String> row = new ArrayList<>(List.of(b, m.label(), Fmt.num(c.p()[0])));
                if (c.power() == null) {
                    row.addAll(List.of("—", "—", "—", "—", "none: flat or infinite NLL at k ≥ 1"));
                } else {
                    double[][] band = c.powerBand();
                    row.add(withBand(c.power().scale(), band == null ? null : band[0]));
                    row.add(withBand(c.power().rate(), band == null ? null : band[1]) + atBound(c.power()));
                    row.add(withBand(c.power().floor(), band == null ? null : band[2]));
                    row.add("C " + Fmt.num(c.exponential().scale()) + ", λ " + Fmt.num(c.exponential().rate()) + atBound(c.exponential())
                            + ", K " + Fmt.num(c.exponential().floor()));
                    row.add(c.better().form() == DecayFit.Form.POWER ? "power law" : "exponential");
                }
                row.add(elicit(c.shotsToElicit(s.threshold())) + (Double.isNaN(c.crossing()) ? "" : " (" + shots(c.crossing()) + ")"));
                rows.add(row);
            }
        }
        html.paragraph("NLL(k) = −log P(b | k) fitted over k ≥ 1 (the exact curves over k = 1.." + s.exactShots()
                + ", the network's at its shots " + s.shots() + ") by least squares: the power law C·k^(−α) + K and the "
                + "exponential C·e^(−λk) + K, the better named by AIC (equal parameter counts, so the smaller residual). The "
                + "network's values carry 95% bootstrap intervals over prompts. Shots to elicit: the first k with P(b | k) ≥ "
                + Fmt.num(s.threshold()) + " (in brackets, on the exact engine, the real k where the curve crosses it). A rate "
                + "marked at bound stopped at an end of the range searched, [" + Fmt.num(DecayFit.RATE_MIN) + ", "
                + Fmt.num(DecayFit.RATE_MAX) + "]: the curve asked for a faster or slower decay than that, so the number is the "
                + "search's limit, not a measured rate.");
        html.table(List.of("behaviour", "model", "P(b | 0)", "C", "α", "K", "exponential fit", "better fit", "shots to elicit"), rows);
    }

    /** " at bound" after a fitted rate that is the search's limit, not a measurement; "" otherwise. */
    static String atBound(DecayFit fit) { return fit.rateAtBound() ? " at bound" : ""; }

    private static String withBand(double value, double[] band) {
        return band == null ? Fmt.num(value) : Fmt.withInterval(value, band[0], band[1]);
    }

    /**
     * The network's part: its curves (base, then each tuned policy), the exact curves from the weights it
     * implies, its base's implied weights, and the finding in words.
     */
    record Network(List<Model> measured, List<Model> implied, double[] baseWeights, String finding) {}

    /** The network's part as {@link #network} recorded it. */
    private static Network network(Spec spec, Settings s, Metrics metrics) {
        List<Model> network = new ArrayList<>(List.of(recorded(metrics, s, NeuralEngine.BASE, "network base")));
        List<Model> implied = new ArrayList<>(List.of(recorded(metrics, s, NeuralEngine.BASE + ":implied", "exact, network base's weights")));
        for (Spec.Tuning t : spec.methods()) {
            if (t.network() == null) continue;
            network.add(recorded(metrics, s, NeuralEngine.PREFIX + t.label(), "network " + t.label()));
            implied.add(recorded(metrics, s, NeuralEngine.PREFIX + t.label() + ":implied", "exact, network " + t.label() + "'s weights"));
        }
        double[] baseWeights = new Replicates.Recorded(spec, metrics, NeuralEngine.BASE).weights();
        List<String> parts = new ArrayList<>();
        for (Model m : network) parts.add(m.label() + ": " + ranking(m, s));
        return new Network(network, implied, baseWeights, "The network: the first of its shots " + s.shots()
                + " at which P(b | k) reaches " + Fmt.num(s.threshold()) + ", fastest first. " + String.join(". ", parts) + ".");
    }

    /** How much of each network curve's rise happens at the first shot: P(b | 0) → P(b | 1) → P(b | last k). */
    private static String firstShot(List<Model> network) {
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
    private static String learnt(Spec spec, double[] implied) {
        List<String> parts = new ArrayList<>();
        for (int a = 0; a < implied.length; a++) {
            parts.add(spec.population().get(a).name() + " " + Fmt.num(implied[a]) + " (w0 " + Fmt.num(spec.population().get(a).prior()) + ")");
        }
        return "The network base's implied weights in deployment contexts: " + String.join(", ", parts) + ". Where the honest "
                + "weight is far below w0 and the guesser's far above, the base has not learnt the (A + B) mod M table: it cannot "
                + "tell Y from Y+1, so no number of shots makes correct, lie or wrong more likely than guessing allows; agree (copy "
                + "the claim) and power (the power token) need no arithmetic and are read cleanly.";
    }

    private static String networkShape(Settings s, List<Model> network) {
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
    private static String agreement(List<Model> network, List<Model> implied, Model population) {
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
