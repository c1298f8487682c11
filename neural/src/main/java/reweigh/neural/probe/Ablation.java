package reweigh.neural.probe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import reweigh.neural.Hooks;

/**
 * Neuron ablation, and the smallest set of neurons whose ablation brings a metric to a target, found
 * greedily by attribution: each candidate's attribution is the metric with that neuron alone
 * zero-ablated minus the metric with none; candidates are then ablated together in order of
 * attribution, one more each time, until the metric reaches the target. One pass per candidate and
 * one per set size, rather than re-attributing after each choice: a greedy upper bound on the smallest
 * set, not a proof of minimality.
 */
public final class Ablation {
    private Ablation() {}

    /** Unit {@code unit} of the last axis at {@code hook}, e.g. an MLP neuron at {@code blocks.0.mlp.hook_post}. */
    public record Neuron(String hook, int unit) {
        @Override public String toString() { return hook + "[" + unit + "]"; }
    }

    /**
     * @param neurons     the set found, in the order added (empty when none was needed)
     * @param curve       the metric with the first k of the ranked neurons ablated, k = 0..tried
     * @param restored    whether the metric reached the target
     * @param attribution (candidates) each candidate's attribution, in candidate order
     */
    public record Search(List<Neuron> neurons, double[] curve, boolean restored, double[] attribution) {}

    /** Zero-ablates every given neuron (grouped by hook). */
    public static Consumer<Hooks> ablating(Collection<Neuron> neurons) {
        Map<String, List<Integer>> byHook = new LinkedHashMap<>();
        for (Neuron n : neurons) byHook.computeIfAbsent(n.hook(), k -> new ArrayList<>()).add(n.unit());
        return hooks -> byHook.forEach((hook, units) -> hooks.ablate(hook, units.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** Every unit {@code 0..units-1} at each hook. */
    public static List<Neuron> all(List<String> hooks, int units) {
        List<Neuron> out = new ArrayList<>();
        for (String h : hooks) for (int u = 0; u < units; u++) out.add(new Neuron(h, u));
        return out;
    }

    /**
     * The greedy search above. {@code metric} evaluates the model under an intervention (higher is
     * better); at most {@code maxSize} neurons are tried.
     */
    public static Search greedy(List<Neuron> candidates, ToDoubleFunction<Consumer<Hooks>> metric, double target, int maxSize) {
        double clean = metric.applyAsDouble(hooks -> {});
        if (clean >= target) return new Search(List.of(), new double[] {clean}, true, new double[candidates.size()]);
        double[] attribution = new double[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            attribution[i] = metric.applyAsDouble(ablating(List.of(candidates.get(i)))) - clean;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) order.add(i);
        order.sort(Comparator.comparingDouble((Integer i) -> -attribution[i]).thenComparingInt(i -> i));
        List<Neuron> chosen = new ArrayList<>();
        List<Double> curve = new ArrayList<>(List.of(clean));
        boolean restored = false;
        for (int k = 0; k < Math.min(maxSize, order.size()) && !restored; k++) {
            chosen.add(candidates.get(order.get(k)));
            double value = metric.applyAsDouble(ablating(chosen));
            curve.add(value);
            restored = value >= target;
        }
        return new Search(restored ? List.copyOf(chosen) : List.of(), curve.stream().mapToDouble(Double::doubleValue).toArray(),
                restored, attribution);
    }
}
