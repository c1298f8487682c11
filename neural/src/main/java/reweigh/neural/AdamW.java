package reweigh.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as {@code torch.optim.AdamW}: at step
 * t, with gradient g,
 *
 * <pre>
 * p &larr; p (1 - lr &lambda;)                      (decayed parameters only)
 * m &larr; &beta;1 m + (1 - &beta;1) g
 * v &larr; &beta;2 v + (1 - &beta;2) g&sup2;
 * p &larr; p - lr (m / (1 - &beta;1^t)) / (sqrt(v / (1 - &beta;2^t)) + &epsilon;)
 * </pre>
 *
 * The moments live in two flat arrays, every parameter's slice in the order of {@code parameters}, so that
 * an update is a dozen operations on all of them at once rather than a dozen per parameter (a small model's
 * update was several hundred calls into PyTorch, each costing more than its arithmetic). Each of those
 * operations is one correctly rounded +, −, ×, ÷ or √ per element, so the flat update gives every element
 * the bits the per-parameter one gave.
 */
public final class AdamW implements AutoCloseable {

    /**
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param epsilon added to the root of the second moment, > 0
     * @param weightDecay decoupled decay rate &lambda;, >= 0
     */
    public record Settings(double beta1, double beta2, double epsilon, double weightDecay) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("AdamW: beta1 and beta2 must be in [0, 1), got "
                        + beta1 + ", " + beta2);
            }
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("AdamW: epsilon must be > 0, got " + epsilon);
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("AdamW: weightDecay must be >= 0, got " + weightDecay);
            }
        }

        /** nanoGPT's choice: betas (0.9, 0.95), epsilon 1e-8, weight decay 0.1. */
        public static Settings defaults() {
            return new Settings(0.9, 0.95, 1e-8, 0.1);
        }
    }

    private final Settings settings;
    private final Map<String, NDArray> parameters;
    private final Set<String> decayed;
    private final long[] splits; // where each parameter's slice of the flat arrays starts, after the first
    private NDArray firstMoment; // flat, every parameter's slice in order
    private NDArray secondMoment;
    private int steps;

    /**
     * @param parameters what to optimise, by name
     * @param decayed the names that receive weight decay (for a transformer: the matrices)
     */
    public AdamW(Map<String, NDArray> parameters, Set<String> decayed, Settings settings) {
        for (String name : decayed) {
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("AdamW: decayed parameter " + name + " is not among "
                        + parameters.keySet());
            }
        }
        this.settings = settings;
        this.parameters = parameters;
        this.decayed = Set.copyOf(decayed);
        this.splits = new long[parameters.size() - 1];
        long size = 0;
        int i = 0;
        NDArray any = null;
        for (NDArray p : parameters.values()) {
            if (i > 0) {
                splits[i - 1] = size;
            }
            size += p.size();
            i++;
            any = p;
        }
        firstMoment = keep(any.getManager().zeros(new Shape(size), any.getDataType()));
        secondMoment = keep(any.getManager().zeros(new Shape(size), any.getDataType()));
    }

    /** Decays every parameter with two or more axes (matrices, embeddings), as nanoGPT does. */
    public static Set<String> matrices(Map<String, NDArray> parameters) {
        Set<String> names = new LinkedHashSet<>();
        parameters.forEach((name, p) -> {
            if (p.getShape().dimension() >= 2) {
                names.add(name);
            }
        });
        return names;
    }

    /** One update with learning rate {@code lr}; {@code gradients} are keyed like the parameters. */
    public void step(Map<String, NDArray> gradients, double lr) {
        if (!gradients.keySet().containsAll(parameters.keySet())) {
            throw new IllegalArgumentException("AdamW: no gradient for "
                    + parameters.keySet().stream().filter(n -> !gradients.containsKey(n)).toList());
        }
        steps++;
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double correction1 = 1 - Math.pow(b1, steps);
        double correction2 = 1 - Math.pow(b2, steps);
        try (NDScope temporaries = new NDScope()) {
            temporaries.suppressNotUsedWarning();
            NDList flat = new NDList(parameters.size());
            for (String name : parameters.keySet()) {
                flat.add(gradients.get(name).reshape(-1));
            }
            NDArray g = NDArrays.concat(flat);
            NDArray m = firstMoment;
            NDArray v = secondMoment;
            m.muli(b1).addi(g.mul(1 - b1));
            v.muli(b2).addi(g.square().muli(1 - b2));
            NDArray denominator = v.div(correction2).sqrt().addi(settings.epsilon());
            NDList updates = slices(m.div(correction1).divi(denominator).muli(lr));
            int i = 0;
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray p = e.getValue();
                if (decayed.contains(e.getKey()) && settings.weightDecay() > 0) {
                    p.muli(1 - lr * settings.weightDecay());
                }
                p.subi(updates.get(i++).reshape(p.getShape()));
            }
        }
    }

    public Settings settings() {
        return settings;
    }

    /** Updates taken so far (t). */
    public int steps() {
        return steps;
    }

    /** The first moment, one view a parameter, created in the caller's scope. */
    Map<String, NDArray> firstMoment() {
        return byParameter(firstMoment);
    }

    Map<String, NDArray> secondMoment() {
        return byParameter(secondMoment);
    }

    /** Each parameter's slice of a flat array, in order, as 1-D views. */
    private NDList slices(NDArray flat) {
        return splits.length == 0 ? new NDList(flat) : flat.split(splits);
    }

    private Map<String, NDArray> byParameter(NDArray flat) {
        NDList slices = slices(flat);
        Map<String, NDArray> out = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            out.put(e.getKey(), slices.get(i++).reshape(e.getValue().getShape()));
        }
        return out;
    }

    /** Restores the state saved in a checkpoint; the saved moments stay the caller's. */
    void restore(int steps, Map<String, NDArray> first, Map<String, NDArray> second) {
        this.steps = steps;
        firstMoment = replace(firstMoment, first);
        secondMoment = replace(secondMoment, second);
    }

    private NDArray replace(NDArray moments, Map<String, NDArray> saved) {
        if (!parameters.keySet().equals(saved.keySet())) {
            throw new IllegalArgumentException("AdamW: saved moments are for " + saved.keySet()
                    + ", the model has " + parameters.keySet());
        }
        NDList flat = new NDList(parameters.size());
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            NDArray value = saved.get(e.getKey());
            if (!value.getShape().equals(p.getShape()) || value.getDataType() != p.getDataType()) {
                throw new IllegalArgumentException("AdamW: saved moment " + e.getKey() + " is "
                        + value.getDataType() + value.getShape() + ", expected " + p.getDataType() + p.getShape());
            }
            flat.add(value.reshape(-1));
        }
        NDArray restored = NDArrays.concat(flat);
        restored.attach(moments.getManager());
        moments.close();
        return keep(restored);
    }

    private static NDArray keep(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    @Override
    public void close() {
        firstMoment.close();
        secondMoment.close();
    }
}
