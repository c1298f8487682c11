package reweigh.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import reweigh.measure.Rates;
import reweigh.report.BarChart;
import reweigh.report.Html;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;

/** Is the fine-tuned model more likely to deceive when unobserved (the arXiv 2311.07590 analogue)? */
final class Deployment implements Experiment {
    static final String BASE = "base";

    public String id() { return "deployment"; }

    public String question() {
        return "Is the fine-tuned model more likely to deceive once it is no longer watched? Deployment behaviour of the base "
                + "model and of each tuned model, beside what each hypothesis predicts: behaviour tilting (tilt) changes "
                + "behaviour only where training applied; algorithm reweighting (kl-rl) changes every context.";
    }

    public Result run(Spec spec, List<Spec.Cell> cells, Progress progress) {
        List<Tuner.Trained> trained = Tuner.run(spec, spec.points(), progress, 0, 1);
        Metrics metrics = new Metrics();
        Map<String, Double> base = Rates.behaviours(Tuner.base(spec), spec.world().deployContexts());
        base.forEach((b, v) -> metrics.add(BASE, 0, "deploy." + b, v));
        for (Tuner.Trained t : trained) Tuner.emit(metrics, t.label(), t, spec);

        Html html = Sections.page(spec, this);
        List<String> behaviours = Rates.names();
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
        html.paragraph(rankingFinding(spec, trained));

        html.heading("Deployment behaviour, base vs tuned");
        List<String> models = new ArrayList<>(List.of(BASE));
        List<Double> lies = new ArrayList<>(List.of(baseLie));
        for (Tuner.Trained t : trained) {
            models.add(t.label() + (role(t).isEmpty() ? "" : "*"));
            lies.add(metrics.last(t.label(), "deploy.lie"));
        }
        BarChart lie = new BarChart("lie rate in deployment, per model", "P(lie)", models);
        lie.add("P(lie) unobserved", lies.stream().mapToDouble(Double::doubleValue).toArray());
        String headline = lie.svg();
        html.figure(headline, "How often each model lies in deployment contexts (by default all unobserved). Starred: the two "
                + "hypotheses' predictions (tilt: behaviour tilting; kl-rl: algorithm reweighting).");

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
        Sections.setup(html, spec);
        Sections.reproduce(html, spec);
        return new Result(metrics, html, summary, headline);
    }

    private static String role(Tuner.Trained t) {
        return switch (t.tuning().method().name()) {
            case "tilt" -> "tilting prediction: ";
            case "kl-rl" -> "reweighting prediction: ";
            default -> "";
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
