package reweigh.report;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reweigh.measure.Finding;
import reweigh.stats.MeanInterval;

/**
 * Findings into sentences: the one template layer. A template is text with placeholders {@code {name}} or
 * {@code {name:format}} naming one of the finding's numbers, formatted for people by {@link Fmt}:
 *
 * <ul>
 *   <li>{@code num} (the default), {@code pct}, {@code times}, {@code delta}, {@code int} (rounded): the value;</li>
 *   <li>{@code low} and {@code high}, {@code pct-low} and {@code pct-high}: an end of its interval;</li>
 *   <li>{@code ci} and {@code pct-ci}: the value and its interval, "0.25 [0.15, 0.42]", or the value alone when the
 *       interval is unknown.</li>
 * </ul>
 *
 * A template that names a number the finding lacks, or a format not listed, is an error naming what is allowed.
 */
public final class Sentences {
    private Sentences() {}

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][\\w.]*)(?::([a-z-]+))?}");

    /** {@code template} with each placeholder replaced by the finding's number, formatted. */
    public static String fill(String template, Finding<?> finding) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(format(finding.number(m.group(1)), m.group(2) == null ? "num" : m.group(2))));
        m.appendTail(out);
        return out.toString();
    }

    private static String format(MeanInterval v, String format) {
        return switch (format) {
            case "num" -> Fmt.num(v.mean());
            case "pct" -> Fmt.pct(v.mean());
            case "times" -> Fmt.times(v.mean());
            case "delta" -> Fmt.delta(v.mean());
            case "int" -> Long.toString(Math.round(v.mean()));
            case "low" -> Fmt.num(v.low());
            case "high" -> Fmt.num(v.high());
            case "pct-low" -> Fmt.pct(v.low());
            case "pct-high" -> Fmt.pct(v.high());
            case "ci" -> Fmt.withInterval(v.mean(), v.low(), v.high());
            case "pct-ci" -> Fmt.pct(v.mean()) + (Double.isFinite(v.low()) && Double.isFinite(v.high())
                    ? " [" + Fmt.pct(v.low()) + ", " + Fmt.pct(v.high()) + "]" : "");
            default -> throw new IllegalArgumentException("no format '" + format
                    + "' in a sentence template; allowed: num, pct, times, delta, int, low, high, pct-low, pct-high, ci, pct-ci");
        };
    }
}
