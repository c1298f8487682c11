package reweigh.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What to do at named activations during one forward pass, in the style of TransformerLens: read
 * ({@link #cache}), overwrite ({@link #patch}) or zero units ({@link #ablate}). At each hook point
 * the model applies, in order, the patch, then the ablation, then caches what flows on.
 *
 * <p>Shapes at the hook points (B batch, T positions, C = dModel, H heads, D = headDim, M = dMlp,
 * V = vocab): {@code hook_embed}, {@code hook_resid_*}, {@code hook_attn_out},
 * {@code hook_mlp_out}, {@code ln_final.hook_normalized}: (B, T, C); {@code hook_pos_embed} (learned
 * positions only): (1, T, C); {@code attn.hook_q|k|v|z} and {@code attn.hook_rot_q|rot_k} (rotary only):
 * (B, T, H, D); {@code attn.hook_pattern}: (B, H, T, T) [query, key]; {@code mlp.hook_pre|post}:
 * (B, T, M); {@code logits}: (B, T, V).
 *
 * <p>{@link #ablate} zeroes heads at the attention hooks (axis H) and the last axis elsewhere
 * (residual dimensions, MLP neurons, vocabulary entries).
 *
 * <p>Cached copies live in this object's own manager and are freed by {@link #close()}.
 */
public final class Hooks implements AutoCloseable {
    private static final Hooks NONE = new Hooks(null);

    private final NDManager store; // holds cached copies; null for NONE
    private final Map<String, UnaryOperator<NDArray>> patches = new LinkedHashMap<>();
    private final Map<String, int[]> ablations = new LinkedHashMap<>();
    private final Map<String, NDArray> cached = new LinkedHashMap<>();
    private final Set<String> toCache = new LinkedHashSet<>();

    private Hooks(NDManager store) {
        this.store = store;
    }

    /** Hooks whose cached copies are kept under {@code parent} until {@link #close()}. */
    public static Hooks on(NDManager parent) {
        return new Hooks(parent.newSubManager());
    }

    /** A forward pass with nothing hooked. */
    public static Hooks none() {
        return NONE;
    }

    /** Store a detached copy of each named activation. */
    public Hooks cache(String... names) {
        mutable();
        toCache.addAll(Arrays.asList(names));
        return this;
    }

    /**
     * Replace the named activation with the result of {@code fn} (same shape). If gradients flow
     * through {@code fn}, combine arrays with arrays, not with Java numbers: DJL 0.36 frees the
     * scalar behind {@code x.mul(2.0)} while autograd still needs it (see GarbageCollectionTest).
     */
    public Hooks patch(String name, UnaryOperator<NDArray> fn) {
        mutable();
        patches.put(name, fn);
        return this;
    }

    /** Replace the named activation with a copy of {@code replacement} (same shape). */
    public Hooks patch(String name, NDArray replacement) {
        return patch(name, activation -> {
            if (!activation.getShape().equals(replacement.getShape())) {
                throw new IllegalArgumentException("patch " + name + ": replacement has shape "
                        + replacement.getShape() + " but the activation has shape " + activation.getShape());
            }
            NDArray copy = replacement.toType(activation.getDataType(), true);
            copy.attach(activation.getManager());
            return copy;
        });
    }

    /** Zero the given heads (attention hooks) or units of the last axis (other hooks). */
    public Hooks ablate(String name, int... indices) {
        mutable();
        if (indices.length == 0) {
            throw new IllegalArgumentException("ablate " + name + ": give at least one index");
        }
        ablations.put(name, indices.clone());
        return this;
    }

    /** The cached copy of the named activation from the last forward pass. */
    public NDArray cached(String name) {
        NDArray array = cached.get(name);
        if (array == null) {
            throw new IllegalArgumentException("nothing cached under " + name + "; cached: " + cached.keySet());
        }
        return array;
    }

    /** Every cached activation, in forward order. */
    public Map<String, NDArray> cached() {
        return Collections.unmodifiableMap(cached);
    }

    /** Fails, listing the valid names, if a hook names a point the model does not have. */
    void validate(List<String> valid) {
        check(toCache, valid);
        check(patches.keySet(), valid);
        check(ablations.keySet(), valid);
    }

    /** The model calls this at every hook point with the activation it computed. */
    NDArray apply(String name, NDArray activation) {
        if (this == NONE) {
            return activation;
        }
        NDArray x = activation;
        UnaryOperator<NDArray> patch = patches.get(name);
        if (patch != null) {
            x = patch.apply(x);
            if (!x.getShape().equals(activation.getShape())) {
                throw new IllegalArgumentException("patch " + name + " returned shape " + x.getShape()
                        + ", expected " + activation.getShape());
            }
        }
        int[] units = ablations.get(name);
        if (units != null) {
            x = x.mul(keepMask(name, x, units));
        }
        if (toCache.contains(name)) {
            NDArray old = cached.remove(name);
            if (old != null) {
                old.close();
            }
            try (NDArray detached = x.stopGradient()) {
                NDArray copy = detached.duplicate();
                copy.attach(store);
                NDScope.unregister(copy); // outlives any NDScope around the pass
                cached.put(name, copy);
            }
        }
        return x;
    }

    /** Ones with zeros at the ablated units, shaped to broadcast along the unit axis. */
    private static NDArray keepMask(String name, NDArray x, int[] units) {
        Shape shape = x.getShape();
        int axis = unitAxis(name, shape.dimension());
        int size = (int) shape.get(axis);
        float[] keep = new float[size];
        Arrays.fill(keep, 1f);
        for (int u : units) {
            if (u < 0 || u >= size) {
                throw new IllegalArgumentException("ablate " + name + ": index " + u
                        + " is outside 0.." + (size - 1) + " on axis " + axis + " of shape " + shape);
            }
            keep[u] = 0f;
        }
        long[] maskShape = new long[shape.dimension()];
        Arrays.fill(maskShape, 1);
        maskShape[axis] = size;
        return x.getManager().create(keep, new Shape(maskShape)).toType(x.getDataType(), false);
    }

    private static int unitAxis(String name, int rank) {
        if (name.endsWith("attn.hook_pattern")) {
            return 1; // (B, H, T, T)
        }
        if (name.contains(".attn.hook_")) {
            return 2; // (B, T, H, D)
        }
        return rank - 1;
    }

    private static void check(Collection<String> names, List<String> valid) {
        for (String name : names) {
            if (!valid.contains(name)) {
                throw new IllegalArgumentException("unknown hook '" + name + "'; valid hooks are: " + valid);
            }
        }
    }

    private void mutable() {
        if (this == NONE) {
            throw new IllegalStateException("Hooks.none() cannot be changed; use Hooks.on(manager)");
        }
    }

    /** Frees every cached copy. */
    @Override
    public void close() {
        if (store != null) {
            cached.clear();
            store.close();
        }
    }
}
