package reweigh.experiment.narrowtobroad;

import java.util.ArrayList;
import java.util.List;
import reweigh.experiment.Experiment;
import reweigh.experiment.Tuner;
import reweigh.finetune.Method;
import reweigh.measure.Finding;
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
 * sycophant, which agrees and does nothing else) takes a share of the weight and narrows the spread. Exact engine only:
 * the network's part is not built yet.
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
        if (spec.runsNeural()) {
            throw spec.source().error("/engine", "must be exact: narrow-to-broad's network part is not built yet");
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
        emitRates(metrics, Tuner.BASE, 0, spec, Tuner.base(spec));
        for (Tuner.Trained t : Tuner.run(spec, spec.points(), progress, 0, 0.8)) {
            Tuner.emit(metrics, t.label(), t, spec);
            emitRates(metrics, t.label(), t.last().step(), spec, t.last().policy());
        }
        Spec without = withoutGated(spec);
        List<Spec.Tuning> predictions = Tuner.exact(without).stream().filter(t -> t.method().role() == Method.Role.REWEIGHTING_PREDICTION).toList();
        for (Tuner.Trained t : Tuner.run(without, predictions, spec.points(), progress, 0.8, 0.2)) {
            emitRates(metrics, t.label() + WITHOUT_GATED, 0, without, Tuner.base(without));
            emitRates(metrics, t.label() + WITHOUT_GATED, t.last().step(), without, t.last().policy());
        }
        return metrics;
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
