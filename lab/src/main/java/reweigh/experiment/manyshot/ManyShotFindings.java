package reweigh.experiment.manyshot;

import java.util.ArrayList;
import java.util.List;
import reweigh.experiment.manyshot.ManyShot.Model;
import reweigh.experiment.manyshot.ManyShot.Settings;
import reweigh.measure.DecayFit;
import reweigh.measure.Finding;
import reweigh.measure.InContext;
import reweigh.measure.ShotCurve;
import reweigh.report.Fmt;
import reweigh.report.Sentences;
import reweigh.spec.Spec;
import reweigh.world.Context;

/** The many-shot report's exact-engine findings in words: rankings, why the shots needed move, the fits' shape and what tuning moved in them. */
final class ManyShotFindings {
    private ManyShotFindings() {}

    static String exactFinding(Settings s, List<Model> exact) {
        List<String> parts = new ArrayList<>();
        for (Model m : exact) parts.add(m.label() + ": " + ManyShotReport.ranking(m, s));
        return "Exact engine (Bayesian updating over the population): shots until P(b | k) reaches " + Fmt.num(s.threshold())
                + " (k read as a real number), fastest first. " + String.join(". ", parts) + ".";
    }

    /**
     * Shots-to-elicit against the prior log-odds fine-tuning removed: for each behaviour, the likeliest
     * writer a1 and the runner-up a2 (by pi_a(b | x)); the posterior log-odds of a1 : a2 after k shots are
     * the prior's plus k·log(pi_1/pi_2), so removing Δ nats of prior log-odds costs Δ/log(pi_1/pi_2) shots.
     */
    static String relation(Spec spec, Settings s, List<String> labels, List<double[]> weights, List<Model> exact) {
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
            double k0 = ManyShotReport.needed(exact.get(0).curves().get(b), s);
            List<String> moves = new ArrayList<>();
            for (int m = 1; m < labels.size(); m++) {
                double lo = Math.log(weights.get(m)[a1] / weights.get(m)[a2]);
                double k = ManyShotReport.needed(exact.get(m).curves().get(b), s);
                moves.add(labels.get(m) + " " + Fmt.delta(lo - prior) + " nats (worth " + Fmt.num(Math.abs(lo - prior) / llr) + " shots of evidence): "
                        + ManyShotReport.shots(k0) + " → " + ManyShotReport.shots(k));
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

    /** Which form fits the exact curves better, against the two predictions: a finite mixture's decay is exponential, the Beta continuum's a power law. */
    enum Shape { AS_PREDICTED, NOT_AS_PREDICTED }

    /**
     * The better form by AIC of every exact curve that has fits: numbers {@code exponential} of {@code total} for the
     * finite mixture, {@code continuumPower} of {@code continuumTotal} for the continuum; as predicted when all are.
     */
    static Finding<Shape> shape(List<Model> exact, List<Model> continuum) {
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
        Shape verdict = exponential == total && continuumPower == continuumTotal ? Shape.AS_PREDICTED : Shape.NOT_AS_PREDICTED;
        return Finding.of(verdict).with("exponential", exponential).with("total", total).with("continuumPower", continuumPower)
                .with("continuumTotal", continuumTotal);
    }

    /** {@link #shape} in words. */
    static String shape(Settings s, List<Model> exact, List<Model> continuum) {
        return "Shape (fits of NLL over k = 1.." + s.exactShots() + ", the better form by AIC, both with 3 parameters): the finite "
                + Sentences.fill("mixture's curves are better fitted by the exponential in {exponential:int} of {total:int} (a finite mixture "
                + "approaches its floor geometrically, at the rate π₂/π₁ of its two likeliest writers); the Beta continuum's by the "
                + "power law in {continuumPower:int} of {continuumTotal:int} (NLL ≈ β/(α+β+k)).", shape(exact, continuum));
    }

    /** What fine-tuning moved in the fits (intercept, exponent) of the finite mixture and of the continuum. */
    static String fitsMoved(Settings s, List<Model> exact, List<Model> continuum) {
        return interceptOrExponent(exact, "fitted over k = 1.." + s.exactShots() + " to the finite mixture") + " "
                + asymptote(s, continuum) + " "
                + interceptOrExponent(continuum, "fitted over k = 1.." + s.exactShots() + " to the continuum (where the offset α+β "
                + "still bends the curve, so the fitted α is not yet the asymptotic 1)");
    }

    /** The continuum's exact tail: NLL·k → β = concentration·(1 − P(b | 0)), exponent 1 for every model. */
    static String asymptote(Settings s, List<Model> continuum) {
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
                Finding<Fit> f = fit(base.curves().get(b), tuned.curves().get(b));
                if (f == null) continue;
                String intercept = Sentences.fill("C {c0} → {c1}", f);
                if (f.verdict() == Fit.AT_BOUND) {
                    boolean first = f.value("boundBase") == 1, second = f.value("boundTuned") == 1;
                    unmeasured.add(b + " (" + intercept + (f.value("interceptMoved") == 1 ? ", moved" : ", not moved")
                            + Sentences.fill(first ? "; α {alpha0} in " : "; α {alpha1} in ", f)
                            + (first && second ? "both" : first ? base.label() : tuned.label()) + ")");
                    continue;
                }
                String entry = b + " (" + intercept + Sentences.fill(", α {alpha0} → {alpha1})", f);
                (switch (f.verdict()) {
                    case BOTH -> both;
                    case INTERCEPT -> c;
                    case EXPONENT -> a;
                    default -> neither;
                }).add(entry);
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

    /** What fine-tuning moved in a power-law fit: the intercept C, the exponent α, both, neither, or α is at the fit's bound and not compared. */
    enum Fit { INTERCEPT, EXPONENT, BOTH, NEITHER, AT_BOUND }

    /**
     * The base's power-law fit against a tuned model's, or null when either curve has none: numbers {@code c0},
     * {@code c1}, {@code alpha0}, {@code alpha1} (before and after), {@code interceptMoved} (1 or 0), and
     * {@code boundBase}, {@code boundTuned} (1 where α is at {@link DecayFit#rateAtBound}).
     */
    static Finding<Fit> fit(ShotCurve before, ShotCurve after) {
        if (before.power() == null || after.power() == null) return null;
        boolean first = before.power().rateAtBound(), second = after.power().rateAtBound();
        boolean movedC = moved(before, after, 0), movedA = !first && !second && moved(before, after, 1);
        Fit verdict = first || second ? Fit.AT_BOUND : movedC && movedA ? Fit.BOTH : movedC ? Fit.INTERCEPT : movedA ? Fit.EXPONENT : Fit.NEITHER;
        return Finding.of(verdict).with("c0", before.power().scale()).with("c1", after.power().scale())
                .with("alpha0", before.power().rate()).with("alpha1", after.power().rate()).with("interceptMoved", movedC ? 1 : 0)
                .with("boundBase", first ? 1 : 0).with("boundTuned", second ? 1 : 0);
    }

    /** Parameter 0 (C) or 1 (α) of the power fit: disjoint 95% intervals, or a change beyond 10% without intervals. */
    static boolean moved(ShotCurve before, ShotCurve after, int parameter) {
        double vb = parameter == 0 ? before.power().scale() : before.power().rate();
        double va = parameter == 0 ? after.power().scale() : after.power().rate();
        if (before.powerBand() != null && after.powerBand() != null) {
            double[] ib = before.powerBand()[parameter], ia = after.powerBand()[parameter];
            return ia[0] > ib[1] || ia[1] < ib[0];
        }
        return Math.abs(va - vb) > 0.1 * Math.abs(vb);
    }
}
