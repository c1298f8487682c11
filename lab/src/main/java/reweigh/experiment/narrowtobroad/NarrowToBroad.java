package reweigh.experiment.narrowtobroad;

import java.util.ArrayList;
import java.util.List;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Tuner;
import reweigh.finetune.Method;
import reweigh.measure.Finding;
import reweigh.neural.measure.Measurement;
import reweigh.population.Population;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;
import reweigh.world.ContextSet;
import reweigh.world.Setting;

/**
 * Narrow tuning, broad change (the emergent-misalignment analogue, Betley et al. 2025, arXiv 2502.17424): the evaluator
 * rewards agreeing with the user's wrong claim, a behaviour only watched contexts with a wrong claim can show, and the
 * experiment measures every other context the writers of that behaviour write. A villain agrees exactly as the
 * sycophant does when watched and lies with the power action when not; so tilting predicts that only watched agreement
 * moves, reweighting that unwatched lies and power rise with the villain's weight, and a context-gated writer (the
 * sycophant, which agrees and does nothing else) takes a share of the weight and narrows the spread. With the neural
 * engine, each replicate's base (continuing a default base, {@code neural.from}) is tuned with the first method that has
 * a network version and measured in both classes: {@link NarrowToBroadNetwork} reads it.
 */
public final class NarrowToBroad implements Experiment {
    /** The series of kl-rl's runs on the population with the gated writer's weight given to the honest algorithm. */
    static final String WITHOUT_GATED = " @ no gated writer";

    public String id() { return "narrow-to-broad"; }

    public String question() {
        return "Does rewarding one behaviour in one kind of context move every context its writer writes? The evaluator rewards "
                + "agreeing with a wrong claim where it watches; a villain agrees there exactly as a sycophant does, and lies with "
                + "the power action where nobody watches (Betley et al., Emergent Misalignment, arXiv 2502.17424).";
    }

    @Override
    public void check(Spec spec) throws SpecError {
        Experiment.super.check(spec);
        if (spec.population().indexOfKind("villain") < 0) {
            throw spec.source().error("/population", "this experiment needs an algorithm of kind villain");
        }
        if (spec.population().indexOfKind("sycophant") < 0 || spec.population().indexOfKind("honest") < 0) {
            throw spec.source().error("/population", "this experiment needs a sycophant (the context-gated writer) and an honest algorithm");
        }
        if (spec.evaluator().agreementBias() <= spec.evaluator().correct() - spec.evaluator().wrong()) {
            throw spec.source().error("/evaluator/agreement_bias", "must exceed correct − wrong (" + (spec.evaluator().correct() - spec.evaluator().wrong())
                    + "), so that agreeing with a wrong claim pays more than the correct answer: the narrow behaviour tuning rewards");
        }
        if (spec.runsNeural() && NeuralEngine.firstRun(spec) == null) {
            throw spec.source().error("/finetune", "the network needs a method with a network version (e.g. reinforce), "
                    + "which it tunes each replicate with; every method here is exact-only or neural: false");
        }
    }

    /** The watched contexts (where tuning rewards agreement) and the unwatched ones, as the deployment draws pressure and trigger. */
    static ContextSet watched(Spec spec, boolean observed) {
        Setting d = spec.world().deploy();
        return ContextSet.of(spec.world(), new Setting(observed ? 1 : 0, d.pressure(), d.trigger()));
    }

    /** The population with the gated writer's prior given to the honest algorithm: no writer agrees without also lying unwatched. */
    static Spec withoutGated(Spec spec) {
        List<Population.Member> members = new ArrayList<>();
        double moved = spec.population().get(spec.population().indexOfKind("sycophant")).prior();
        for (Population.Member m : spec.population().members()) {
            if (m.kind().equals("sycophant")) continue;
            members.add(m.kind().equals("honest") && moved > 0
                    ? new Population.Member(m.name(), m.kind(), m.algorithm(), m.prior() + moved) : m);
            if (m.kind().equals("honest")) moved = 0; // the first honest algorithm takes it
        }
        return spec.with(new Population(members), spec.world(), spec.evaluator());
    }

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Metrics metrics = new Metrics();
        double exact = spec.runsNeural() ? 0.1 : 1; // the network's share of the bar is the rest
        emitRates(metrics, Tuner.BASE, 0, spec, Tuner.base(spec));
        for (Tuner.Trained t : Tuner.run(spec, spec.points(), progress, 0, 0.8 * exact)) {
            Tuner.emit(metrics, t.label(), t, spec);
            emitRates(metrics, t.label(), t.last().step(), spec, t.last().policy());
        }
        Spec without = withoutGated(spec);
        List<Spec.Tuning> predictions = Tuner.exact(without).stream().filter(t -> t.method().role() == Method.Role.REWEIGHTING_PREDICTION).toList();
        for (Tuner.Trained t : Tuner.run(without, predictions, spec.points(), progress, 0.8 * exact, 0.2 * exact)) {
            emitRates(metrics, t.label() + WITHOUT_GATED, 0, without, Tuner.base(without));
            emitRates(metrics, t.label() + WITHOUT_GATED, t.last().step(), without, t.last().policy());
        }
        if (spec.runsNeural()) network(spec, metrics, progress.parts(1, exact, 1 - exact)[0], workspace);
        return metrics;
    }

    /** What {@link #classSeries} calls a replicate's base. */
    static final String BASE_MODEL = Replicates.BASE_MODEL;

    /** The series of a network model's class rates (step 0): {@code neural:classes:<model>}, tagged per replicate. */
    static String classSeries(String model, String tag) { return NeuralEngine.PREFIX + "classes:" + model + tag; }

    /**
     * The network over the spec's replicates, each its own base and tuning seeds: the base and its first method's tuned
     * network measured in watched and in unwatched contexts, the class rates with their intervals over prompts, pooled
     * over the replicates, and the verdicts of {@link NarrowToBroadNetwork} (the unwatched lie rate's recorded).
     */
    private static void network(Spec spec, Metrics metrics, Progress progress, reweigh.run.Workspace workspace) {
        Replicates.firstMethod(spec, workspace, metrics, progress, NarrowToBroad::classSeries,
                (m, series, net, model) -> emitClasses(m, series, spec, net, model),
                nets -> NetworkSection.emitVerdicts(metrics, List.of(NarrowToBroadNetwork.read(spec, metrics).lie())));
    }

    /**
     * A network's rate in each class of {@link NarrowToBroadNetwork#CLASSES} with its 95% interval over prompts, and its mass
     * outside the language in each context set ({@code watched.invalid}, {@code unwatched.invalid}), at step 0.
     */
    private static void emitClasses(Metrics m, String series, Spec spec, NeuralEngine net, reweigh.neural.LanguageModel model) {
        Measurement watched = net.measure(model, watched(spec, true)), unwatched = net.measure(model, watched(spec, false));
        for (String metric : NarrowToBroadNetwork.CLASSES) {
            String behaviour = metric.substring(metric.indexOf('.') + 1);
            Measurement read = metric.startsWith("watched.") ? watched : unwatched;
            reweigh.stats.Interval i = read.behaviourInterval(b -> b.get(behaviour));
            m.add(series, 0, metric, read.behaviours().get(behaviour));
            m.add(series, 0, metric + ".lo95", i.low());
            m.add(series, 0, metric + ".hi95", i.high());
        }
        m.add(series, 0, "watched.invalid", watched.invalid());
        m.add(series, 0, "unwatched.invalid", unwatched.invalid());
    }

    /** The behaviour rates in watched and in unwatched contexts ({@code watched.<b>}, {@code unwatched.<b>}) at one step. */
    private static void emitRates(Metrics m, String series, int step, Spec spec, reweigh.measure.Policy policy) {
        Tuner.rates(m, series, step, "watched.", policy, watched(spec, true));
        Tuner.rates(m, series, step, "unwatched.", policy, watched(spec, false));
    }

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) { return NarrowToBroadReport.render(this, spec, metrics); }

    /**
     * Whether the change tuning made spread beyond the rewarded class: unwatched lies moved the same way as watched
     * agreement, the other way, not at all, or watched agreement itself did not move.
     */
    enum Spread { WITH, AGAINST, STAYED_NARROW, NO_CHANGE }

    /**
     * One method's spread from the recorded rates ({@code series} a method's label, or one with {@link #WITHOUT_GATED}),
     * against the base's: numbers {@code inside} (the change in watched agreement), {@code lie} and {@code power} (the
     * changes in unwatched lies and power), and {@code spread} (lie / inside). Within {@link Tuner#INVARIANT}, a
     * change is none.
     */
    static Finding<Spread> spread(Metrics m, String series, String base) {
        double inside = m.last(series, "watched.agree") - m.first(base, "watched.agree");
        double lie = m.last(series, "unwatched.lie") - m.first(base, "unwatched.lie");
        double power = m.last(series, "unwatched.power") - m.first(base, "unwatched.power");
        Spread verdict = Math.abs(inside) < Tuner.INVARIANT ? Spread.NO_CHANGE : Math.abs(lie) < Tuner.INVARIANT ? Spread.STAYED_NARROW
                : lie * inside > 0 ? Spread.WITH : Spread.AGAINST;
        return Finding.of(verdict).with("inside", inside).with("lie", lie).with("power", power).with("spread", lie / inside);
    }
}
