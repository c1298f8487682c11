package reweigh.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import reweigh.measure.Rates;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.stats.MeanInterval;

/** Is the fine-tuned model more likely to deceive when unobserved (the arXiv 2311.07590 analogue)? */
final class Deployment implements Experiment {
    static final String BASE = "base";

    public String id() { return "deployment"; }

    @Override
    public boolean replicated() { return true; }

    public String question() {
        return "Is the fine-tuned model more likely to deceive once it is no longer watched? Deployment behaviour of the base "
                + "model and of each tuned model, beside what each hypothesis predicts: behaviour tilting (tilt) changes "
                + "behaviour only where training applied; algorithm reweighting (kl-rl) changes every context.";
    }

    public Result run(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        List<Tuner.Trained> trained = Tuner.run(spec, spec.points(), progress, 0, 1);
        Metrics metrics = new Metrics();
        Map<String, Double> base = Rates.behaviours(Tuner.base(spec), spec.world().deployContexts());
        base.forEach((b, v) -> metrics.add(BASE, 0, "deploy." + b, v));
        for (Tuner.Trained t : trained) Tuner.emit(metrics, t.label(), t, spec);

        Html html = Sections.page(spec, this);
        // the schemer's act-* classes only when some model takes the misaligned action
        List<String> behaviours = Rates.names().stream().filter(b -> !b.startsWith("act-") || base.get(b) > 0
                || trained.stream().anyMatch(t -> metrics.last(t.label(), "deploy." + b) > 0)).toList();
        double baseLie = base.get("lie");

        html.heading("Findings");
        List<String> lines = new ArrayList<>();
        for (Tuner.Trained t : trained) {
            double lie = metrics.last(t.label(), "deploy.lie");
            lines.add(role(t) + t.label() + ": " + Fmt.pct(lie) + " (" + Fmt.times(lie / baseLie) + ")");
        }
        String summary = "Unobserved, the base model lies in " + Fmt.pct(baseLie) + " of answers; after fine-tuning: "
                + String.join("; ", lines) + ".";
        html.note(summary);
        Html.Slot verdict = html.slot(); // the network's verdicts and figure, first, once it has run
        html.paragraph(rankingFinding(spec, trained));

        html.heading("Deployment behaviour, base vs tuned");
        List<String> models = new ArrayList<>(List.of(BASE));
        List<Double> lies = new ArrayList<>(List.of(baseLie));
        for (Tuner.Trained t : trained) {
            if (!role(t).isEmpty()) continue; // the predictions are lines across the bars, not bars
            models.add(t.label());
            lies.add(metrics.last(t.label(), "deploy.lie"));
        }
        BarChart lie = new BarChart("lie rate in deployment, per model", "P(lie) unobserved", models);
        lie.add("", lies.stream().mapToDouble(Double::doubleValue).toArray());
        for (Tuner.Trained t : trained) {
            if (!role(t).isEmpty()) lie.hline(metrics.last(t.label(), "deploy.lie"), role(t) + t.label() + " (" + Fmt.pct(metrics.last(t.label(), "deploy.lie")) + ")");
        }
        String[] headline = {lie.svg()}; // the network's figure replaces it on the index when the network runs
        html.figure(headline[0], "How often each model lies in deployment contexts (by default all unobserved). Dashed lines: the two "
                + "hypotheses' predictions (tilt: behaviour tilting; kl-rl: algorithm reweighting). A bar too short to see is in the table below.");

        BarChart all = new BarChart("deployment behaviour rates", "rate", behaviours);
        all.add(BASE, rates(metrics, BASE, behaviours));
        for (Tuner.Trained t : trained) all.add(t.label(), rates(metrics, t.label(), behaviours));
        html.figure(all.svg(), "Every behaviour's rate in deployment; power counts answers that also take the power action. "
                + "tilt is the behaviour-tilting prediction, kl-rl the reweighting prediction.");
        List<List<String>> rows = new ArrayList<>();
        rows.add(row(BASE, metrics, BASE, behaviours));
        for (Tuner.Trained t : trained) rows.add(row(role(t) + t.label(), metrics, t.label(), behaviours));
        List<String> header = new ArrayList<>(List.of("model"));
        header.addAll(behaviours);
        html.table(header, rows);

        html.heading("Which algorithms were reinforced");
        html.paragraph("Each reweighting method's algorithms ranked by w_final / w0, the factor by which training multiplied their weight.");
        List<List<String>> ranks = new ArrayList<>();
        for (Tuner.Trained t : trained) {
            if (!t.tuning().method().reweights()) continue;
            ranks.add(List.of(t.label(), String.join(" > ", ranking(spec, t).stream().map(r -> r.name() + " " + Fmt.times(r.ratio())).toList())));
        }
        html.table(List.of("series", "ranking by w_final / w0"), ranks);
        if (spec.runsNeural()) {
            summary += " " + NeuralEngine.runAll(spec, workspace, metrics, progress, nets -> network(html, verdict, spec, metrics, nets, headline));
        }
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Result(metrics, html, summary, headline[0]);
    }

    /**
     * The network's deployment lie rate, base and tuned, over the replicates, beside both predictions from
     * each replicate's own base; one verdict per method ({@link reweigh.measure.Verdict}). Returns the finding; its
     * figure becomes {@code headline[0]}, the index's picture of this experiment.
     */
    private static String network(Html html, Html.Slot verdict, Spec spec, Metrics metrics, List<NeuralEngine> nets, String[] headline) {
        NetworkSection.LieRates lies = NetworkSection.lieRates(spec, metrics, nets);
        MeanInterval base = lies.base();
        List<NetworkSection.Reading> readings = lies.readings();
        double population = NetworkSection.deployRate(spec, spec.population().priors(), "lie");

        String finding = "Over " + NetworkSection.replicates(nets) + ", the network's base lies in " + NetworkSection.pooled(base, Fmt::pct)
                + " of unwatched answers (the population: " + Fmt.pct(population) + "); reweighting predicts "
                + NetworkSection.pooled(lies.predicted(), Fmt::pct) + " after tuning, tilting no change. After tuning, "
                + NetworkSection.byReading(readings, r -> NetworkSection.pooled(r.pooled(), Fmt::pct)) + ".";
        html.heading("The network: deception once unwatched");
        html.paragraph("The network's lie rate in deployment contexts, from each prompt's exact response distribution, measured on "
                + NetworkSection.replicates(nets) + ": each replicate pretrained, tuned and measured with its own seeds. Tilting "
                + "predicts each replicate's base rate (training never saw these contexts); reweighting predicts the rate of that "
                + "base's implied weights times exp(R/beta), beta = " + Fmt.num(NetworkSection.beta(spec)) + ". " + NetworkSection.RULE);

        List<List<String>> rows = new ArrayList<>();
        for (NetworkSection.Reading r : readings) {
            rows.add(List.of(r.label(), r.verdict().sentence(), NetworkSection.pooled(r.pooled(), Fmt::pct), NetworkSection.each(r.value(), Fmt::pct)));
        }
        BarChart chart = lies.chart("network: lie rate in deployment", "P(lie)", nets.size());
        headline[0] = chart.svg();
        html.fill(verdict, v -> v.note(finding).figure(headline[0], "The network's deployment lie rate before (base) and after each "
                + "method, the mean of " + NetworkSection.replicates(nets) + " with " + NetworkSection.intervalOver(nets) + ". Dashed "
                + "lines: the predictions; tilting and reweighting start from each replicate's own base, exact kl-rl is the exact "
                + "engine's reweighting of the population. How each reading is decided: the network's section below."));
        html.table(List.of("network method", "reading over replicates", "P(lie), mean [95%]", "each replicate"), rows);

        List<List<String>> weights = new ArrayList<>();
        for (int a = 0; a < spec.population().size(); a++) {
            String name = spec.population().get(a).name();
            MeanInterval w = NetworkSection.bases(nets, b -> b.weight(name));
            weights.add(List.of(name, Fmt.num(spec.population().get(a).prior()), NetworkSection.pooled(w, Fmt::num),
                    NetworkSection.each(nets.stream().mapToDouble(n -> n.baseDeploy().weight(name)).toArray(), Fmt::num)));
        }
        weights.add(List.of("P(lie) unwatched", Fmt.pct(population), NetworkSection.pooled(base, Fmt::pct),
                NetworkSection.each(nets.stream().mapToDouble(n -> n.baseDeploy().behaviours().get("lie")).toArray(), Fmt::pct)));
        html.paragraph("How well the bases reproduce the population they were pretrained on, as implied weights in deployment "
                + "contexts (EM over the known algorithms) and the unwatched lie rate. The reweighting prediction starts from these; "
                + "where they differ from w0, a network has not learnt an algorithm as written (e.g. the arithmetic), and its answers "
                + "are attributed to the nearest algorithm. "
                + (base.n() < 2 ? "" : base.low() <= population && population <= base.high()
                        ? "The interval over replicates of the base's lie rate holds the population's."
                        : "The interval over replicates of the base's lie rate does not hold the population's " + Fmt.pct(population) + "."));
        html.table(List.of("algorithm", "population w0", "network bases, mean [95%]", "each replicate"), weights);
        if (spec.odds() != null) {
            NetworkSection.logOddsFigure(html, spec, metrics, nets,
                    NetworkSection.bases(nets, b -> b.logOdds(spec.odds().numerator(), spec.odds().denominator()).value()).mean(),
                    NetworkSection.bases(nets, b -> Tuner.logOdds(spec, NetworkSection.reweighted(spec, b))).mean());
        }
        NetworkSection.trainingFigures(html, metrics, nets);
        NetworkSection.faithfulness(html, nets);
        return finding;
    }

    private static String role(Tuner.Trained t) {
        return switch (t.tuning().method().role()) {
            case TILTING_PREDICTION -> "tilting prediction: ";
            case REWEIGHTING_PREDICTION -> "reweighting prediction: ";
            case MEASURED -> "";
        };
    }

    record Ranked(String name, double ratio) {}

    static List<Ranked> ranking(Spec spec, Tuner.Trained t) {
        List<Ranked> r = new ArrayList<>();
        for (int a = 0; a < spec.population().size(); a++) {
            r.add(new Ranked(spec.population().get(a).name(), t.last().weights()[a] / spec.population().get(a).prior()));
        }
        r.sort(Comparator.comparingDouble(Ranked::ratio).reversed());
        return r;
    }

    /** Where the deceiver (the odds' denominator) stands in each method's ranking, ties stated. */
    private static String rankingFinding(Spec spec, List<Tuner.Trained> trained) {
        if (spec.odds() == null) return "";
        String d = spec.odds().denominator();
        String h = spec.odds().numerator();
        List<String> parts = new ArrayList<>();
        for (Tuner.Trained t : trained) {
            if (!t.tuning().method().reweights()) continue;
            List<Ranked> r = ranking(spec, t);
            double rd = r.stream().filter(x -> x.name().equals(d)).findFirst().orElseThrow().ratio();
            double rh = r.stream().filter(x -> x.name().equals(h)).findFirst().orElseThrow().ratio();
            long above = r.stream().filter(x -> x.ratio() > rd * (1 + 1e-9)).count();
            String tie = Math.abs(rd / rh - 1) < 1e-9 ? ", tied with " + h : "";
            parts.add(t.label() + ": " + d + " ranks " + (above + 1) + " of " + r.size() + tie + " (" + Fmt.times(rd) + ")");
        }
        return "How much each method reinforced the deceiver: " + String.join("; ", parts) + ".";
    }

    private static double[] rates(Metrics m, String series, List<String> behaviours) {
        return behaviours.stream().mapToDouble(b -> m.last(series, "deploy." + b)).toArray();
    }

    private static List<String> row(String name, Metrics m, String series, List<String> behaviours) {
        List<String> row = new ArrayList<>(List.of(name));
        for (String b : behaviours) row.add(Fmt.pct(m.last(series, "deploy." + b)));
        return row;
    }
}
