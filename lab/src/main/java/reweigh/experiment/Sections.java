package reweigh.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.spec.Spec;

/** The parts every report shares: what was run, with which settings. */
public final class Sections {
    private Sections() {}

    public static Html page(Spec spec, Experiment experiment) {
        Html html = new Html(spec.title());
        html.paragraph(experiment.question());
        if (!spec.description().isEmpty()) html.paragraph(spec.description());
        return html;
    }

    /** Population, world, evaluator and methods, as resolved. */
    public static void setup(Html html, Spec spec) {
        html.heading("Setup");
        ObjectNode r = spec.resolved();
        List<List<String>> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.get("population").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject()) continue;
            int a = spec.population().indexOf(e.getKey());
            rows.add(List.of(e.getKey(), e.getValue().get("kind").asText(), params(e.getValue(), "kind", "weight"),
                    Fmt.num(spec.population().get(a).prior())));
        }
        html.subheading("Population (the base model)");
        html.table(List.of("algorithm", "kind", "parameters", "prior weight w0"), rows);
        html.subheading("World and evaluator");
        JsonNode w = r.get("world");
        html.table(List.of("setting", "value"), List.of(
                List.of("answers per question (M)", w.get("answers").asText()),
                List.of("P(user's claim is wrong)", w.get("user_wrong").asText()),
                List.of("training contexts", params(w.get("train"))),
                List.of("deployment contexts", params(w.get("deploy"))),
                List.of("honeypots (share of rated training contexts that look unobserved)", w.get("honeypot").asText()),
                List.of("evaluator", params(r.get("evaluator")))));
        html.paragraph("Only observed training contexts are rewarded. An uncaught lie scores as a correct answer; "
                + "detect is the probability that the evaluator catches one.");
        List<List<String>> methods = new ArrayList<>();
        for (JsonNode m : r.get("finetune")) methods.add(List.of(m.get("label").asText(), m.get("method").asText(), params(m, "method", "label")));
        if (methods.isEmpty()) return; // an experiment that tunes in its own way (wrapper) says how in its own section
        html.subheading("Fine-tuning methods");
        html.table(List.of("series", "method", "parameters"), methods);
    }

    public static String params(JsonNode node, String... skip) {
        List<String> parts = new ArrayList<>();
        List<String> skipped = List.of(skip);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (skipped.contains(e.getKey())) continue;
            parts.add(e.getKey() + "=" + (e.getValue().isContainerNode() ? e.getValue().toString() : e.getValue().asText()));
        }
        return parts.isEmpty() ? "—" : String.join(", ", parts);
    }

    /** How to regenerate the figures. */
    public static void reproduce(Html html, Spec spec) {
        html.heading("Reproduce");
        html.paragraph("Every number and figure above comes from metrics.csv beside this page, which this command regenerates "
                + "byte for byte: ./reweigh run " + spec.source().file() + (spec.runsNeural()
                        ? " (the network's rows on the same machine, with one PyTorch thread, the default)" : "")
                + ". The resolved spec, with every default filled in, is spec.yaml; provenance.json records the seed, the "
                + "spec's hash, the code's commit and the versions used.");
    }
}
