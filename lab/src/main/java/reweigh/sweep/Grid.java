package reweigh.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.spec.Bounds;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;

/**
 * The knobs a sweep turns: {@code --grid key=v1,v2,...} options (keys as {@code --set} takes them, values as
 * YAML text) and {@code --seeds N}, and every combination of them.
 *
 * @param knobs key -> values, in the order given
 * @param seeds how many seeds per combination, from the spec's seed upwards
 */
public record Grid(Map<String, List<String>> knobs, int seeds) {

    public Grid {
        knobs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
    }

    /** Parses {@code --grid} options; an empty key, an empty value list or a key given twice is an error. */
    public static Grid parse(List<String> options, int seeds) throws SpecError {
        Map<String, List<String>> knobs = new LinkedHashMap<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            String where = "--grid " + option;
            if (eq <= 0) throw new SpecError(where, "", "a grid is key=v1,v2,..., e.g. --grid evaluator.detect=0,0.5,1");
            String key = option.substring(0, eq).trim();
            List<String> values = splitTopLevel(option.substring(eq + 1));
            if (values.isEmpty() || values.stream().anyMatch(String::isBlank)) {
                throw new SpecError(where, key, "needs one or more values separated by commas, e.g. " + key + "=0,0.5,1");
            }
            if (key.equals("seed") && seeds > 1) throw new SpecError(where, key, "give seeds either with --grid seed=... or with --seeds, not both");
            if (knobs.put(key, values) != null) throw new SpecError(where, key, "this key is already swept by another --grid");
        }
        if (seeds < 1) throw new SpecError("--seeds " + seeds, "", "must be at least 1");
        if (seeds > Bounds.SEEDS) throw new SpecError("--seeds " + seeds, "", Bounds.past("seeds", Bounds.SEEDS));
        return new Grid(knobs, seeds);
    }

    /** Splits at commas outside brackets, braces and quotes, so {@code [0.1, 1],[2]} is two values. */
    static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quote != 0) {
                if (ch == quote) quote = 0;
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
            } else if (ch == '[' || ch == '{') {
                depth++;
            } else if (ch == ']' || ch == '}') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                parts.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        if (!text.isBlank()) parts.add(text.substring(start).trim());
        return parts;
    }

    /** Every combination of the knobs' values, the last knob varying fastest: key -> value text. */
    public List<Map<String, String>> combinations() { return Spec.Sweep.product(knobs); }

    public int size() { return combinations().size() * seeds; }
}
