package reweigh.experiment.power;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Tuner;
import reweigh.measure.Predictions;
import reweigh.population.Population;
import reweigh.report.Fmt;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;
import reweigh.world.Check;

/**
 * Is power-seeking reinforced? A 2×2 grid: the base holds a power-seeker or not, and the evaluator's
 * {@code power} knob (added to the reward of every answer that takes the power action) is positive or
 * negative; then a sweep of the knob. Reinforcement can only raise an algorithm the base holds, and
 * only when it earns more reward than the others.
 */
public final class Power implements Experiment {

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
    static List<Double> knob(Settings s) {
        List<Double> knob = new ArrayList<>(s.knob());
        for (double k : new double[] {-s.cell(), s.cell()}) if (!knob.contains(k)) knob.add(k);
        knob.sort(null);
        return knob;
    }

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Settings s = spec.settings(Settings.class);
        Metrics metrics = new Metrics();
        Map<String, List<Object>> knobs = new LinkedHashMap<>();
        knobs.put("with", List.of(true, false));
        knobs.put("power", List.copyOf(knob(s)));
        List<Map<String, Object>> grid = Spec.Sweep.product(knobs);
        for (int i = 0; i < grid.size(); i++) {
            boolean with = (Boolean) grid.get(i).get("with");
            double k = (Double) grid.get(i).get("power");
            Spec v = variant(spec, with, k);
            for (Tuner.Trained t : Tuner.run(v, 1, progress, 0.3 * i / grid.size(), 0.3 / grid.size())) {
                String series = series(t.label(), with, k);
                Tuner.emit(metrics, series, t, v);
                // a prediction without weights (tilt) has no power-seeker to weigh
                if (t.last().weights() != null) {
                    metrics.add(series, t.last().step(), "weight.power-seeker.final", powerSeekerWeight(v, t.last().weights()));
                }
            }
        }
        if (spec.runsNeural()) network(spec, s.cell(), metrics, progress, workspace);
        return metrics;
    }

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) { return PowerReport.render(this, spec, metrics); }

    /** The series of the network's base with a power-seeker or without. */
    static String baseSeries(boolean with) { return NeuralEngine.PREFIX + "base @ base=" + (with ? "with" : "without"); }

    /**
     * The network's 2×2 over the spec's replicates: the bases with the power-seeker and the control bases, each
     * replicate fine-tuned by the spec's first network method with the knob at +cell and −cell, measured in deployment.
     */
    private static void network(Spec spec, double cell, Metrics metrics, Progress progress, reweigh.run.Workspace workspace) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        if (first == null) return;
        Progress[] halves = progress.parts(2, 0.3, 0.7);
        int done = 0;
        for (boolean with : new boolean[] {true, false}) {
            Replicates.runAll(variant(spec, with, cell), workspace, metrics, halves[done++], baseSeries(with), (net, part) -> {
                List<NeuralEngine.Run> runs = new ArrayList<>();
                for (double power : new double[] {cell, -cell}) {
                    Spec v = variant(spec, with, power);
                    NeuralEngine.Run run = net.tune(first, v.world(), v.evaluator(), " @ " + (with ? "with" : "without") + " power=" + Fmt.num(power),
                            part, 0.4 + (power > 0 ? 0 : 0.3), 0.3, (t, policy) -> {});
                    runs.add(run.named(NeuralEngine.PREFIX + series(first.label(), with, power), net.tag()));
                }
                return runs;
            }, nets -> {});
        }
        NetworkSection.emitVerdicts(metrics, PowerNetwork.read(spec, cell, metrics).readings());
    }

}
