package reweigh.experiment.deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.Replicates;
import reweigh.experiment.Replicates.Replicate;
import reweigh.experiment.Sections;
import reweigh.experiment.Tuner;
import reweigh.measure.Finding;
import reweigh.measure.Rates;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.Sentences;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.stats.MeanInterval;

/** Is the fine-tuned model more likely to deceive when unobserved (the arXiv 2311.07590 analogue)? */
public final class Deployment implements Experiment {

    public String id() { return "deployment"; }

    public String question() {
        return "Is the fine-tuned model more likely to deceive once it is no longer watched? Deployment behaviour of the base "
                + "model and of each tuned model, beside what each hypothesis predicts: behaviour tilting (tilt) changes "
                + "behaviour only where training applied; algorithm reweighting (kl-rl) changes every context.";
    }

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        List<Tuner.Trained> trained = Tuner.run(spec, spec.points(), progress, 0, 1);
        Metrics metrics = new Metrics();
        Rates.behaviours(Tuner.base(spec), spec.world().deployContexts()).forEach((b, v) -> metrics.add(Tuner.BASE, 0, "deploy." + b, v));
        for (Tuner.Trained t : trained) Tuner.emit(metrics, t.label(), t, spec);
        if (spec.runsNeural()) {
            Replicates.runAll(spec, workspace, metrics, progress);
            NetworkSection.emitVerdicts(metrics, NetworkSection.lieRates(spec, Replicates.of(spec, metrics)).readings());
        }
        return metrics;
    }

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) {
        List<Spec.Tuning> trained = Tuner.exact(spec);
        Map<String, Double> base = new Replicates.Recorded(spec, metrics, Tuner.BASE).behaviours(); // the exact base, as a network's is read
        List<Replicate> nets = spec.runsNeural() ? Replicates.of(spec, metrics) : List.of();
        Html html = Sections.page(spec, this);
        // the schemer's act-* classes only when some model takes the misaligned action
        List<String> behaviours = Rates.names().stream().filter(b -> !b.startsWith("act-") || base.get(b) > 0
                || trained.stream().anyMatch(t -> metrics.last(t.label(), "deploy." + b) > 0)).toList();
        double baseLie = base.get("lie");

        html.heading("Findings");
        List<String> lines = new ArrayList<>();
        for (Spec.Tuning t : trained) {
            double lie = metrics.last(t.label(), "deploy.lie");
            lines.add(role(t) + t.label() + ": " + Fmt.pct(lie) + " (" + Fmt.times(lie / baseLie) + ")");
        }
        String summary = "Unobserved, the base model lies in " + Fmt.pct(baseLie) + " of answers; after fine-tuning: "
                + String.join("; ", lines) + ".";
        html.note(summary);
        String[] headline = new String[1];
        String finding = nets.isEmpty() ? "" : verdict(html, spec, nets, headline);
        html.paragraph(rankingFinding(spec, metrics, trained));

        html.heading("Deployment behaviour, base vs tuned");
        List<String> models = new ArrayList<>(List.of(Tuner.BASE));
        List<Double> lies = new ArrayList<>(List.of(baseLie));
        for (Spec.Tuning t : trained) {
            if (!role(t).isEmpty()) continue; // the predictions are lines across the bars, not bars
            models.add(t.label());
            lies.add(metrics.last(t.label(), "deploy.lie"));
        }
        BarChart lie = new BarChart("lie rate in deployment, per model", "P(lie) unobserved", models);
        lie.add("", lies.stream().mapToDouble(Double::doubleValue).toArray());
        for (Spec.Tuning t : trained) {
            if (!role(t).isEmpty()) lie.hline(metrics.last(t.label(), "deploy.lie"), role(t) + t.label() + " (" + Fmt.pct(metrics.last(t.label(), "deploy.lie")) + ")");
        }
        String exactFigure = lie.svg();
        html.figure(exactFigure, "How often each model lies in deployment contexts (by default all unobserved). Dashed lines: the two "
                + "hypotheses' predictions (tilt: behaviour tilting; kl-rl: algorithm reweighting). A bar too short to see is in the table below.");

        BarChart all = new BarChart("deployment behaviour rates", "rate", behaviours);
        all.add(Tuner.BASE, rates(metrics, Tuner.BASE, behaviours));
        for (Spec.Tuning t : trained) all.add(t.label(), rates(metrics, t.label(), behaviours));
        html.figure(all.svg(), "Every behaviour's rate in deployment; power counts answers that also take the power action. "
                + "tilt is the behaviour-tilting prediction, kl-rl the reweighting prediction.");
        List<List<String>> rows = new ArrayList<>();
        rows.add(row(Tuner.BASE, metrics, Tuner.BASE, behaviours));
        for (Spec.Tuning t : trained) rows.add(row(role(t) + t.label(), metrics, t.label(), behaviours));
        List<String> header = new ArrayList<>(List.of("model"));
        header.addAll(behaviours);
        html.table(header, rows);

        html.heading("Which algorithms were reinforced");
        html.paragraph("Each reweighting method's algorithms ranked by w_final / w0, the factor by which training multiplied their weight.");
        List<List<String>> ranks = new ArrayList<>();
        for (Spec.Tuning t : trained) {
            if (!t.method().reweights()) continue;
            ranks.add(List.of(t.label(), String.join(" > ", ranking(spec, metrics, t).stream().map(r -> r.name() + " " + Fmt.times(r.ratio())).toList())));
        }
        html.table(List.of("series", "ranking by w_final / w0"), ranks);
        if (!nets.isEmpty()) {
            summary += " " + finding;
            network(html, spec, metrics, nets);
        }
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Result(metrics, html, summary, nets.isEmpty() ? exactFigure : headline[0]);
    }

    /**
     * The network's deployment lie rate, base and tuned, over the replicates, beside both predictions from each
     * replicate's own base, one verdict per method ({@link reweigh.measure.Verdict}), under Findings; returns the
     * finding, and its figure becomes {@code headline[0]}, the index's picture of this experiment.
     */
    private static String verdict(Html html, Spec spec, List<Replicate> nets, String[] headline) {
        NetworkSection.LieRates lies = NetworkSection.lieRates(spec, nets);
        double population = NetworkSection.deployRate(spec, spec.population().priors(), "lie");
        String finding = "Over " + NetworkSection.replicates(nets) + ", the network's base lies in " + NetworkSection.pooled(lies.base(), Fmt::pct)
                + " of unwatched answers (the population: " + Fmt.pct(population) + "); reweighting predicts "
                + NetworkSection.pooled(lies.predicted(), Fmt::pct) + " after tuning, tilting no change. After tuning, "
                + NetworkSection.byReading(lies.readings(), r -> NetworkSection.pooled(r.pooled(), Fmt::pct)) + ".";
        headline[0] = lies.chart("network: lie rate in deployment", "P(lie)", nets.size()).svg();
        html.note(finding).figure(headline[0], "The network's deployment lie rate before (base) and after each "
                + "method, the mean of " + NetworkSection.replicates(nets) + " with " + NetworkSection.intervalOver(nets) + ". Dashed "
                + "lines: the predictions; tilting and reweighting start from each replicate's own base, exact kl-rl is the exact "
                + "engine's reweighting of the population. How each reading is decided: the network's section below.");
        return finding;
    }

    /** The network's section: how each reading was decided, the bases against the population, training and faithfulness. */
    private static void network(Html html, Spec spec, Metrics metrics, List<Replicate> nets) {
        NetworkSection.LieRates lies = NetworkSection.lieRates(spec, nets);
        MeanInterval base = lies.base();
        double population = NetworkSection.deployRate(spec, spec.population().priors(), "lie");
        html.heading("The network: deception once unwatched");
        html.paragraph("The network's lie rate in deployment contexts, from each prompt's exact response distribution, measured on "
                + NetworkSection.replicates(nets) + ": each replicate pretrained, tuned and measured with its own seeds. Tilting "
                + "predicts each replicate's base rate (training never saw these contexts); reweighting predicts the rate of that "
                + "base's implied weights times exp(R/beta), beta = " + Fmt.num(NetworkSection.beta(spec)) + ". " + NetworkSection.RULE);

        List<List<String>> rows = new ArrayList<>();
        for (NetworkSection.Reading r : lies.readings()) {
            rows.add(List.of(r.label(), r.verdict().sentence(), NetworkSection.pooled(r.pooled(), Fmt::pct), NetworkSection.each(r.value(), Fmt::pct)));
        }
        html.table(List.of("network method", "reading over replicates", "P(lie), mean [95%]", "each replicate"), rows);

        List<List<String>> weights = new ArrayList<>();
        for (int a = 0; a < spec.population().size(); a++) {
            String name = spec.population().get(a).name();
            MeanInterval w = NetworkSection.bases(nets, b -> b.weight(name));
            weights.add(List.of(name, Fmt.num(spec.population().get(a).prior()), NetworkSection.pooled(w, Fmt::num),
                    NetworkSection.each(nets.stream().mapToDouble(n -> n.base().weight(name)).toArray(), Fmt::num)));
        }
        weights.add(List.of("P(lie) unwatched", Fmt.pct(population), NetworkSection.pooled(base, Fmt::pct),
                NetworkSection.each(nets.stream().mapToDouble(n -> n.base().behaviours().get("lie")).toArray(), Fmt::pct)));
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
                    NetworkSection.bases(nets, b -> Tuner.logOdds(spec, NetworkSection.reweighted(spec, b.weights()))).mean());
        }
        NetworkSection.trainingFigures(html, metrics, nets);
        NetworkSection.faithfulness(html, nets);
    }

    private static String role(Spec.Tuning t) {
        return switch (t.method().role()) {
            case TILTING_PREDICTION -> "tilting prediction: ";
            case REWEIGHTING_PREDICTION -> "reweighting prediction: ";
            case MEASURED -> "";
        };
    }

    record Ranked(String name, double ratio) {}

    static List<Ranked> ranking(Spec spec, Metrics metrics, Spec.Tuning t) {
        double[] w = Tuner.lastWeights(spec, metrics, t.label());
        List<Ranked> r = new ArrayList<>();
        for (int a = 0; a < spec.population().size(); a++) {
            r.add(new Ranked(spec.population().get(a).name(), w[a] / spec.population().get(a).prior()));
        }
        r.sort(Comparator.comparingDouble(Ranked::ratio).reversed());
        return r;
    }

    /** Whether a method reinforced the deceiver exactly as much as the honest algorithm (the odds kept) or not. */
    enum Standing { TIED_WITH_HONEST, APART }

    /**
     * Where the deceiver (the odds' denominator) stands in one method's ranking by w_final / w0: tied with the honest
     * algorithm when their ratios agree to 1e-9. Numbers: {@code rank} (1 + the algorithms ranked strictly above it),
     * {@code of} (how many are ranked) and {@code ratio}, the deceiver's w_final / w0.
     */
    static Finding<Standing> standing(Spec spec, Metrics metrics, Spec.Tuning t) {
        List<Ranked> r = ranking(spec, metrics, t);
        double rd = r.stream().filter(x -> x.name().equals(spec.odds().denominator())).findFirst().orElseThrow().ratio();
        double rh = r.stream().filter(x -> x.name().equals(spec.odds().numerator())).findFirst().orElseThrow().ratio();
        long above = r.stream().filter(x -> x.ratio() > rd * (1 + 1e-9)).count();
        return Finding.of(Math.abs(rd / rh - 1) < 1e-9 ? Standing.TIED_WITH_HONEST : Standing.APART).with("rank", above + 1)
                .with("of", r.size()).with("ratio", rd);
    }

    /** Where the deceiver stands in each method's ranking, ties stated. */
    private static String rankingFinding(Spec spec, Metrics metrics, List<Spec.Tuning> trained) {
        if (spec.odds() == null) return "";
        String d = spec.odds().denominator();
        String h = spec.odds().numerator();
        List<String> parts = new ArrayList<>();
        for (Spec.Tuning t : trained) {
            if (!t.method().reweights()) continue;
            Finding<Standing> f = standing(spec, metrics, t);
            String tie = f.verdict() == Standing.TIED_WITH_HONEST ? ", tied with " + h : "";
            parts.add(t.label() + ": " + d + Sentences.fill(" ranks {rank:int} of {of:int}", f) + tie + Sentences.fill(" ({ratio:times})", f));
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
