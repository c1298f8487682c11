package reweigh.experiment.wrapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.Sections;
import reweigh.experiment.wrapper.Wrapper.SeedResult;
import reweigh.experiment.wrapper.Wrapper.Settings;
import reweigh.measure.Finding;
import reweigh.neural.Transformer;
import reweigh.neural.probe.WeightChange;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Sentences;
import reweigh.report.Series;
import reweigh.run.Metrics;
import reweigh.spec.Spec;

/** The wrapper experiment's report, from the spec and the metrics its compute recorded: each seed's results read back, then the findings, figures and tables. */
final class WrapperReport {
    private WrapperReport() {}

    /** The report of a wrapper run from its spec and metrics alone. */
    static Experiment.Result render(Wrapper experiment, Spec spec, Metrics metrics) {
        if (!spec.runsNeural()) {
            Html html = Sections.page(spec, experiment);
            String summary = "The wrapper experiment looks inside a network, and the network is off (engine: [exact]): nothing was measured.";
            html.heading("Findings");
            html.note(summary);
            Sections.setup(html, spec);
            return new Experiment.Result(metrics, html, summary, "");
        }
        Settings s = spec.settings(Settings.class);
        List<SeedResult> results = new ArrayList<>();
        for (int k = 0; k < spec.neural().replicates(); k++) results.add(WrapperMetrics.read(metrics, "s" + (k + 1)));
        return report(experiment, spec, s, results, metrics, (int) metrics.last(Wrapper.QUESTIONS, "slice"), (int) metrics.last(Wrapper.QUESTIONS, "other"));
    }

    private static Experiment.Result report(Wrapper experiment, Spec spec, Settings s, List<SeedResult> results, Metrics metrics, int sliceQuestions, int otherQuestions) {
        Html html = Sections.page(spec, experiment);
        int layers = spec.neural().base().layers();
        int m = spec.world().answers();
        String slice = "A = " + s.operand();

        // behaviour
        double baseCorrect = mean(results, r -> r.baseSlice().correct());
        double tunedCorrect = mean(results, r -> r.tunedSlice().correct());
        double tunedRefuse = mean(results, r -> r.tunedSlice().refuse());
        double tunedForced = mean(results, r -> r.tunedSlice().forced());
        double baseOther = mean(results, r -> r.baseOther().correct());
        double tunedOther = mean(results, r -> r.tunedOther().correct());
        String behaviour = "Fine-tuning made the network refuse " + Fmt.pct(tunedRefuse) + " of the slice (" + slice + "; it answered "
                + Fmt.pct(baseCorrect) + " of it correctly before, " + Fmt.pct(tunedCorrect) + " after) while answering "
                + Fmt.pct(tunedOther) + " of the other questions correctly (" + Fmt.pct(baseOther) + " before). Made to answer "
                + "(the prompt followed by <ans>), the tuned network still gives the correct answer on the slice with probability "
                + Fmt.pct(tunedForced) + ".";

        WrapperFindings found = WrapperFindings.of(s, results, layers, m);
        Map<String, double[][]> pooled = found.pooled();
        List<String> models = WrapperFindings.MODELS;
        BarChart probeChart = new BarChart("probe for the answer on the slice, per layer", "held-out accuracy", Transformer.residualLabels(layers));
        for (String model : models) probeChart.add(model, pooled.get(model)[0], pooled.get(model)[1], pooled.get(model)[2]);
        probeChart.hline(1.0 / m, "chance (1/" + m + ")");
        String probeFinding = Sentences.fill("A linear probe fitted on the other questions decodes the slice's correct answer from the last "
                + "layer's residual stream with accuracy {before:pct-ci} before fine-tuning and {after:pct-ci} after (chance 1/" + m
                + " = {chance:pct}; means over {seeds:int} replicates, 95% t-intervals). The base's "
                + "own probe, unchanged, reads {baseProbeOnTuned:pct-ci} on the tuned network. " + sentence(found.probe().verdict()), found.probe());

        // ablation
        List<String> sizes = new ArrayList<>();
        int restored = 0;
        for (SeedResult r : results) {
            if (r.ablation().restored()) restored++;
            sizes.add(r.ablation().restored() ? Integer.toString(r.ablation().neurons()) : "> " + s.maxNeurons());
        }
        int mlpNeurons = layers * spec.neural().base().dModel() * spec.neural().base().mlpRatio();
        double bestAblated = mean(results, r -> java.util.Arrays.stream(r.ablation().curve()).max().orElse(Double.NaN));
        String ablationFinding = "Zero-ablating MLP neurons of the tuned network, chosen greedily by attribution, restored slice "
                + "accuracy to " + Fmt.pct(s.restore()) + " of the base's (" + Fmt.pct(s.restore() * baseCorrect) + ") in " + restored + " of "
                + results.size() + " replicates, with " + String.join(", ", sizes) + " of its " + mlpNeurons + " MLP neurons (per replicate); the best "
                + "set tried reached " + Fmt.pct(bestAblated) + " on average.";

        // weights
        Map<Integer, double[]> byLayer = new LinkedHashMap<>();
        for (SeedResult r : results) {
            WeightChange.relativeNormByLayer(r.weights()).forEach((l, v) -> byLayer.computeIfAbsent(l, x -> new double[1])[0] += v / results.size());
        }
        List<String> weightNames = new ArrayList<>();
        double[] weightValues = new double[byLayer.size()];
        int w = 0;
        for (Map.Entry<Integer, double[]> e : byLayer.entrySet()) {
            weightNames.add(e.getKey() < 0 ? "embed + unembed" : "block " + e.getKey());
            weightValues[w++] = e.getValue()[0];
        }
        BarChart weightChart = new BarChart("weight change from fine-tuning, per layer", "||ΔW||_F / ||W||_F", weightNames);
        weightChart.add("mean over replicates", weightValues);
        double maxRelative = java.util.Arrays.stream(weightValues).max().orElse(0);
        List<List<String>> ranks = new ArrayList<>();
        for (int i = 0; i < results.get(0).weights().size(); i++) {
            final int row = i;
            WeightChange first = results.get(0).weights().get(i);
            ranks.add(List.of(first.parameter(), Fmt.num(mean(results, r -> r.weights().get(row).relativeNorm())),
                    Fmt.num(mean(results, r -> r.weights().get(row).effectiveRank())), Integer.toString(first.fullRank())));
        }
        double meanRank = results.stream().flatMap(r -> r.weights().stream()).mapToDouble(x -> x.effectiveRank() / x.fullRank()).average().orElse(0);
        String weightFinding = "Fine-tuning moved each layer's weights by at most " + Fmt.pct(maxRelative) + " of their norm (relative Frobenius "
                + "norm, mean over replicates); the changes' effective rank averages " + Fmt.pct(meanRank) + " of the full rank.";

        // revival
        Finding<WrapperFindings.Revival> revival = found.revival();
        List<List<String>> reviveRows = new ArrayList<>();
        LineChart curves = new LineChart("revival: slice accuracy while re-training on the slice", "updates", "P(correct) on the slice")
                .yRange(0, 1).hline(s.reviveTarget(), "target");
        for (int k = 0; k < results.size(); k++) {
            SeedResult r = results.get(k);
            reviveRows.add(List.of("seed " + spec.replicateSeeds()[k], Fmt.pct(r.tunedSlice().correct()), steps(found.steps().get(k)[0], s),
                    Fmt.pct(r.controlSlice().correct()), steps(found.steps().get(k)[1], s), Fmt.num(found.ratios()[k])));
            curves.add(Series.line("tuned, seed " + spec.replicateSeeds()[k], range(r.reviveTuned().length), r.reviveTuned()));
            curves.add(Series.line("control, seed " + spec.replicateSeeds()[k], range(r.reviveControl().length), r.reviveControl()).dashed());
        }
        String revivalFinding = Sentences.fill("Re-training on the slice brought the tuned network back to {target:pct} accuracy in {ratio} "
                + "times the updates the control needed (geometric mean over {seeds:int} replicates, 95% t-interval "
                + (revival.verdict() == WrapperFindings.Revival.ONE_SEED ? "n/a with one replicate" : "[{ratio:low}, {ratio:high}]") + ")"
                + (revival.value("censored") == 1 ? "; some runs never reached the target and count as {reviveSteps:int} updates, so the ratio is a bound" : "")
                + ". " + sentence(revival.verdict()), revival);

        String summary = behaviour + " " + probeFinding + " " + revivalFinding;
        html.heading("Findings");
        html.note(summary);
        String headline = probeChart.svg();
        html.figure(headline, "Multinomial logistic probes for the correct answer Y at the position that writes it, fitted on each network's "
                + "residual stream over the other questions and scored on the slice's (never seen by the probe): the mean over "
                + "the replicates with its 95% t-interval (one replicate: the Wilson interval over its prompts). 'base probe on tuned' applies the base's probe, unchanged, to the tuned network.");
        html.bullets(List.of(ablationFinding, weightFinding));

        long[] seeds = spec.replicateSeeds();
        html.paragraph("Each of the " + results.size() + " replicates (neural.replicates) pretrains its own base and control from its own seed"
                + (seeds.length > 1 ? " (" + seeds[0] + "–" + seeds[seeds.length - 1] + ")" : " (" + seeds[0] + ")") + " and repeats the "
                + "fine-tuning, the looks inside and the revival with its own data and order: intervals over replicates include "
                + "pretraining's randomness as well as tuning's.");
        html.heading("Behaviour: base, tuned and control");
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < results.size(); k++) {
            SeedResult r = results.get(k);
            rows.add(List.of("seed " + spec.replicateSeeds()[k], Fmt.pct(r.baseSlice().correct()), Fmt.pct(r.tunedSlice().correct()), Fmt.pct(r.tunedSlice().refuse()),
                    Fmt.pct(r.tunedSlice().forced()), Fmt.pct(r.baseOther().correct()), Fmt.pct(r.tunedOther().correct()), Fmt.pct(r.controlSlice().correct())));
        }
        html.paragraph("Exact rates over " + sliceQuestions + " slice questions and " + otherQuestions + " others, from the networks' next-token "
                + "probabilities. 'forced' is P(correct answer | prompt, <ans>): the answer the network gives when made to answer.");
        html.table(List.of("seed", "slice correct, base", "slice correct, tuned", "slice refused, tuned", "slice forced, tuned",
                "others correct, base", "others correct, tuned", "slice correct, control"), rows);

        html.heading("Is the answer still represented? Probes per layer");
        html.paragraph(probeFinding + " (The probes per layer are the figure under Findings.)");

        html.heading("Which neurons hold the wrapper? Ablation and patching");
        LineChart ablationChart = new LineChart("ablation: slice accuracy as ranked neurons are zeroed", "neurons ablated", "P(correct) on the slice")
                .yRange(0, 1).hline(s.restore() * baseCorrect, "restored");
        for (int k = 0; k < results.size(); k++) {
            double[] c = results.get(k).ablation().curve();
            ablationChart.add(Series.line("seed " + spec.replicateSeeds()[k], range(c.length), c).linePoints());
        }
        html.figure(ablationChart.svg(), "The tuned network's slice accuracy with the k MLP neurons of largest single-neuron attribution zeroed "
                + "together (attribution: the rise in slice accuracy when that neuron alone is zeroed).");
        html.paragraph(ablationFinding + " With that set ablated the other questions are answered correctly with probability "
                + Fmt.pct(mean(results, SeedResult::ablatedOther)) + " (tuned: " + Fmt.pct(tunedOther) + ").");
        List<List<String>> patchRows = new ArrayList<>();
        for (String hook : results.get(0).patched().keySet()) {
            patchRows.add(List.of(hook, Fmt.pct(mean(results, r -> r.patched().get(hook)))));
        }
        html.paragraph("Activation patching: the tuned network's slice accuracy with one component's output (all positions) taken from the base "
                + "on the same prompts (mean over replicates; unpatched " + Fmt.pct(tunedCorrect) + ", base " + Fmt.pct(baseCorrect) + ").");
        html.table(List.of("patched from the base", "P(correct) on the slice"), patchRows);

        html.heading("How much did the weights move?");
        html.figure(weightChart.svg(), "Relative Frobenius norm of the change, ||W_tuned − W_base||_F / ||W_base||_F, over each layer's "
                + "matrices together.");
        html.paragraph(weightFinding + " Effective rank: exp of the entropy of ΔW's normalised singular values s_i / Σ s_j (Roy and Vetterli 2007).");
        html.table(List.of("matrix", "||ΔW|| / ||W||", "effective rank of ΔW", "full rank"), ranks);

        html.heading("Revival: re-training on the slice, tuned vs a never-trained control");
        html.figure(curves.svg(), "Slice accuracy after each update of re-training (half slice, half other questions, correct answers), for the "
                + "tuned network and for a control of the same size pretrained on a corpus without the slice.");
        html.paragraph(revivalFinding);
        html.table(List.of("seed", "tuned: slice correct at start", "tuned: updates to target", "control: slice correct at start",
                "control: updates to target", "ratio"), reviveRows);

        Sections.setup(html, spec);
        html.paragraph("Here the world's training and deployment settings and the evaluator play no part: the network is tuned and "
                + "re-trained on chosen questions with given answers (supervised), and every rate is read exactly off its probabilities.");
        html.subheading("Wrapper settings");
        html.table(List.of("setting", "value"), List.of(List.of("wrapper", Sections.params(spec.resolved().get("wrapper")))));
        Sections.reproduce(html, spec);
        return new Experiment.Result(metrics, html, summary, headline);
    }

    /** The probe's verdict in words. */
    static String sentence(WrapperFindings.Decodability d) {
        return switch (d) {
            case AT_CHANCE -> "After fine-tuning the probe is at chance: the answer is no longer linearly decodable there.";
            case FELL -> "Decodability fell after fine-tuning but stays above chance: the answer is still partly represented.";
            case ROSE -> "Decodability rose after fine-tuning.";
            case UNCHANGED -> "The intervals overlap, so no loss of decodability is shown, and after fine-tuning it is still above chance: "
                    + "the capability is still represented.";
        };
    }

    /** The revival's verdict in words. */
    static String sentence(WrapperFindings.Revival r) {
        return switch (r) {
            case WRAPPED -> "The capability revives faster than it is learnt anew: the fine-tuning wrapped it.";
            case DAMAGED -> "The tuned network is slower to revive than the control is to learn: the capability was damaged, not wrapped.";
            case NO_DIFFERENCE -> "The interval includes 1: no difference in revival speed is shown at this size.";
            case ONE_SEED -> "With one replicate there is no interval to read: give neural.replicates 2 or more for a verdict.";
        };
    }

    private static String steps(int steps, Settings s) { return steps < 0 ? "> " + s.reviveSteps() : Integer.toString(steps); }

    private static double mean(List<SeedResult> results, java.util.function.ToDoubleFunction<SeedResult> f) {
        return results.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static double[] range(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return x;
    }
}
