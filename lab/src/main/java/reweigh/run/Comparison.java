package reweigh.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import reweigh.measure.Verdict;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.spec.SpecError;
import reweigh.spec.Yaml;

/**
 * What changed between two run folders, read from what each holds ({@code spec.yaml}, {@code metrics.csv}):
 * the spec keys that differ, the verdicts that changed, and every final number both runs have that moved,
 * with its interval where it has one; series only one run has (e.g. replicates of other seeds) are named
 * apart. Nothing is recomputed and no model is loaded.
 *
 * @param a        the first run folder
 * @param b        the second
 * @param spec     the spec keys whose values differ, as "key: a → b"
 * @param verdicts the series whose verdict changed
 * @param numbers  every (series, metric) of both whose last value differs, in the first run's order
 * @param same     how many (series, metric) pairs of both have the same last value
 * @param onlyA    the series only the first run has
 * @param onlyB    the series only the second run has
 */
public record Comparison(Path a, Path b, List<String> spec, List<Change> verdicts, List<Number> numbers, int same,
                         List<String> onlyA, List<String> onlyB) {

    /** A verdict of one series in each run ("—" where a run has none). */
    public record Change(String series, String a, String b) {}

    /** A final number in each run, with its interval where it has one. */
    public record Number(String series, String metric, double a, double aLow, double aHigh, double b, double bLow, double bHigh) {
        public double difference() { return b - a; }
    }

    private static final String LOW = ".lo95";
    private static final String HIGH = ".hi95";
    private static final String VERDICT = "verdict.";
    /** How a single replicate's series is named: {@code neural:<label>@seed<N>}. */
    private static final String REPLICATE = "@seed";

    /** Reads both run folders; a path that is not a run folder is a {@link SpecError} naming what it lacks. */
    public static Comparison of(Path a, Path b) throws SpecError, IOException {
        Metrics ma = metrics(a);
        Metrics mb = metrics(b);
        List<String> spec = specChanges(spec(a), spec(b));
        Map<String, String> va = verdicts(ma);
        Map<String, String> vb = verdicts(mb);
        List<Change> verdicts = new ArrayList<>();
        Set<String> series = new LinkedHashSet<>(va.keySet());
        series.addAll(vb.keySet());
        for (String s : series) {
            String x = va.getOrDefault(s, "—");
            String y = vb.getOrDefault(s, "—");
            if (!x.equals(y)) verdicts.add(new Change(s, x, y));
        }
        List<Number> numbers = new ArrayList<>();
        int same = 0;
        for (String s : ma.series()) {
            if (!mb.series().contains(s)) continue;
            for (String m : ma.metrics(s)) {
                if (m.endsWith(LOW) || m.endsWith(HIGH) || m.startsWith(VERDICT) || !mb.has(s, m)) continue;
                double x = ma.last(s, m);
                double y = mb.last(s, m);
                if (Double.compare(x, y) == 0) {
                    same++;
                } else {
                    numbers.add(new Number(s, m, x, last(ma, s, m + LOW), last(ma, s, m + HIGH), y, last(mb, s, m + LOW), last(mb, s, m + HIGH)));
                }
            }
        }
        List<String> onlyA = ma.series().stream().filter(x -> !mb.series().contains(x)).toList();
        List<String> onlyB = mb.series().stream().filter(x -> !ma.series().contains(x)).toList();
        return new Comparison(a, b, spec, verdicts, numbers, same, onlyA, onlyB);
    }

    /**
     * The comparison as a terminal reads it: spec, verdicts, then at most {@code limit} changed numbers of the
     * series that are not one replicate's ({@code …@seedN}), in the first run's order.
     */
    public String text(int limit) {
        StringBuilder out = new StringBuilder();
        out.append("A: ").append(a).append('\n').append("B: ").append(b).append('\n');
        out.append(spec.isEmpty() ? "spec: the same\n" : "spec (A → B):\n");
        for (String s : spec) out.append("  ").append(s).append('\n');
        out.append(verdicts.isEmpty() ? "verdicts: the same\n" : "verdicts (A → B):\n");
        for (Change c : verdicts) out.append("  ").append(c.series()).append(": ").append(c.a()).append(" → ").append(c.b()).append('\n');
        List<Number> pooled = numbers.stream().filter(n -> !n.series().contains(REPLICATE)).toList();
        out.append(String.format(Locale.ROOT, "numbers: %d changed, %d the same%s%n", numbers.size(), same,
                pooled.isEmpty() ? "" : "; A → B (B − A):"));
        for (Number n : pooled.subList(0, Math.min(limit, pooled.size()))) out.append("  ").append(line(n)).append('\n');
        int hidden = numbers.size() - Math.min(limit, pooled.size());
        int single = numbers.size() - pooled.size();
        if (hidden > 0) out.append("  … and ").append(hidden).append(" more").append(single > 0 ? ", " + single + " of them in single replicates' series" : "")
                .append(" (--html FILE lists them all)\n");
        if (!onlyA.isEmpty()) out.append("only in A: ").append(names(onlyA)).append('\n');
        if (!onlyB.isEmpty()) out.append("only in B: ").append(names(onlyB)).append('\n');
        return out.toString();
    }

    /** The comparison as one self-contained page: the same parts, every changed number in a table. */
    public String html() {
        Html page = new Html("reweigh: " + a.getFileName() + " against " + b.getFileName());
        page.paragraph("A: " + a + ". B: " + b + ". Read from each run folder's spec.yaml and metrics.csv; nothing recomputed.");
        page.heading("Spec");
        if (spec.isEmpty()) page.paragraph("The two specs are the same.");
        else page.bullets(spec);
        page.heading("Verdicts");
        if (verdicts.isEmpty()) page.paragraph("Every verdict is the same.");
        else page.table(List.of("series", "A", "B"), verdicts.stream().map(c -> List.of(c.series(), c.a(), c.b())).toList());
        page.heading("Numbers");
        page.paragraph(numbers.size() + " final numbers of the series both runs have changed, " + same + " are the same."
                + (onlyA.isEmpty() ? "" : " Only in A: " + String.join(", ", onlyA) + ".")
                + (onlyB.isEmpty() ? "" : " Only in B: " + String.join(", ", onlyB) + "."));
        List<List<String>> rows = new ArrayList<>();
        for (Number n : numbers) {
            rows.add(List.of(n.series(), n.metric(), value(n.a(), n.aLow(), n.aHigh()), value(n.b(), n.bLow(), n.bHigh()), Fmt.delta(n.difference())));
        }
        if (!rows.isEmpty()) page.table(List.of("series", "metric", "A", "B", "B − A"), rows);
        return page.render();
    }

    private static String line(Number n) {
        return n.series() + " " + n.metric() + ": " + value(n.a(), n.aLow(), n.aHigh()) + " → " + value(n.b(), n.bLow(), n.bHigh())
                + " (" + Fmt.delta(n.difference()) + ")";
    }

    private static String names(List<String> series) {
        return String.join(", ", series.subList(0, Math.min(4, series.size()))) + (series.size() > 4 ? " and " + (series.size() - 4) + " more" : "");
    }

    private static String value(double v, double low, double high) {
        return Double.isNaN(v) ? "—" : Fmt.withInterval(v, low, high);
    }

    private static double last(Metrics m, String series, String metric) {
        return m.has(series, metric) ? m.last(series, metric) : Double.NaN;
    }

    /** Each series' verdict in words, from its {@code verdict.<kind>} row ({@link Verdict.Kind}). */
    private static Map<String, String> verdicts(Metrics m) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : m.series()) {
            for (Verdict.Kind k : Verdict.Kind.values()) {
                if (m.has(s, VERDICT + k.name().toLowerCase(Locale.ROOT))) out.put(s, k.words());
            }
        }
        return out;
    }

    private static Metrics metrics(Path run) throws SpecError, IOException {
        Path csv = run.resolve("metrics.csv");
        if (!Files.isRegularFile(csv)) {
            throw new SpecError(run.toString(), "", "not a run folder: it has no metrics.csv (a run folder is what "
                    + "`reweigh run` or `reweigh all` writes, e.g. runs/odds-ratio)");
        }
        return Metrics.parse(Files.readString(csv));
    }

    private static JsonNode spec(Path run) throws SpecError, IOException {
        Path yaml = run.resolve("spec.yaml");
        if (!Files.isRegularFile(yaml)) throw new SpecError(run.toString(), "", "not a run folder: it has no spec.yaml");
        return Yaml.MAPPER.readTree(yaml.toFile());
    }

    /** Every dotted key (list items as [i]) whose value differs, as "key: a → b"; "(none)" where one spec lacks it. */
    static List<String> specChanges(JsonNode a, JsonNode b) {
        Map<String, String> fa = new LinkedHashMap<>();
        Map<String, String> fb = new LinkedHashMap<>();
        flatten("", a, fa);
        flatten("", b, fb);
        Set<String> keys = new LinkedHashSet<>(fa.keySet());
        keys.addAll(fb.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            String x = fa.get(k);
            String y = fb.get(k);
            if (!Objects.equals(x, y)) out.add(k + ": " + (x == null ? "(none)" : x) + " → " + (y == null ? "(none)" : y));
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node == null || node.isMissingNode()) return;
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) flatten(prefix + "[" + i + "]", node.get(i), out);
        } else {
            out.put(prefix, node.asText());
        }
    }
}
