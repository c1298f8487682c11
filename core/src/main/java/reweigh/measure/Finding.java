package reweigh.measure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import reweigh.stats.MeanInterval;

/**
 * A finding as a value: the verdict an experiment reached, a constant of that experiment's own enum, and the numbers
 * it rests on, by name, each a mean with its interval over what was repeated (unknown, NaN, when nothing was).
 * Tests read the verdict and the numbers; a report turns the finding into a sentence through one template per
 * verdict ({@code lab}'s {@code report/Sentences}), so the words never decide anything.
 *
 * @param verdict what the numbers say
 * @param numbers name → value with its interval, in the order they were added
 */
public record Finding<K extends Enum<K>>(K verdict, Map<String, MeanInterval> numbers) {
    public Finding {
        numbers = Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
    }

    /** A finding with no numbers yet. */
    public static <K extends Enum<K>> Finding<K> of(K verdict) { return new Finding<>(verdict, Map.of()); }

    /** This finding with one more number. */
    public Finding<K> with(String name, MeanInterval value) {
        Map<String, MeanInterval> m = new LinkedHashMap<>(numbers);
        if (m.put(name, value) != null) throw new IllegalArgumentException("the finding already has a number named " + name);
        return new Finding<>(verdict, m);
    }

    /** This finding with one more number that has no interval. */
    public Finding<K> with(String name, double value) { return with(name, new MeanInterval(1, value, Double.NaN, Double.NaN)); }

    /** The number named {@code name}. */
    public MeanInterval number(String name) {
        MeanInterval v = numbers.get(name);
        if (v == null) throw new IllegalArgumentException("the finding has no number named " + name + "; it has " + numbers.keySet());
        return v;
    }

    /** The value of the number named {@code name}. */
    public double value(String name) { return number(name).mean(); }
}
