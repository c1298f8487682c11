package reweigh.experiment.manyshot;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import reweigh.experiment.manyshot.ManyShot.Model;
import reweigh.experiment.manyshot.ManyShot.Settings;
import reweigh.measure.DecayFit;
import reweigh.measure.ShotCurve;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;

/** The many-shot report's figures and its table of fits. */
final class ManyShotFigures {
    private ManyShotFigures() {}

    static String chart(Settings s, String b, String what, List<Model> exact, List<Model> continuum,
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

    static void add(LineChart chart, Model m, String b, boolean p, boolean dashed) {
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
    static double[] fitted(ShotCurve c) {
        double most = c.shots()[c.shots().length - 1];
        return IntStream.range(0, 48).mapToDouble(i -> Math.pow(most, i / 47.0)).toArray();
    }

    static void fitTable(Html html, Settings s, List<Model> exact, List<Model> continuum, List<Model> network, String intervals) {
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
                row.add(ManyShotReport.elicit(c.shotsToElicit(s.threshold())) + (Double.isNaN(c.crossing()) ? "" : " (" + ManyShotReport.shots(c.crossing()) + ")"));
                rows.add(row);
            }
        }
        html.paragraph("NLL(k) = −log P(b | k) fitted over k ≥ 1 (the exact curves over k = 1.." + s.exactShots()
                + ", the network's at its shots " + s.shots() + ") by least squares: the power law C·k^(−α) + K and the "
                + "exponential C·e^(−λk) + K, the better named by AIC (equal parameter counts, so the smaller residual). The "
                + "network's values carry " + intervals + ". Shots to elicit: the first k with P(b | k) ≥ "
                + Fmt.num(s.threshold()) + " (in brackets, on the exact engine, the real k where the curve crosses it). A rate "
                + "marked at bound stopped at an end of the range searched, [" + Fmt.num(DecayFit.RATE_MIN) + ", "
                + Fmt.num(DecayFit.RATE_MAX) + "]: the curve asked for a faster or slower decay than that, so the number is the "
                + "search's limit, not a measured rate.");
        html.table(List.of("behaviour", "model", "P(b | 0)", "C", "α", "K", "exponential fit", "better fit", "shots to elicit"), rows);
    }

    /** " at bound" after a fitted rate that is the search's limit, not a measurement; "" otherwise. */
    static String atBound(DecayFit fit) { return fit.rateAtBound() ? " at bound" : ""; }

    static String withBand(double value, double[] band) {
        return band == null ? Fmt.num(value) : Fmt.withInterval(value, band[0], band[1]);
    }
}
