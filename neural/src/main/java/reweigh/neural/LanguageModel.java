package reweigh.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only transformer language model (GPT-2 style, pre-LayerNorm), written op by op on
 * NDArrays so that every activation passes a named {@link Hooks} point.
 *
 * <p>Shapes: B batch, T positions, C = dModel, H heads, D = headDim, M = dMlp, V = vocab.
 * Parameters use TransformerLens names and layouts: {@code embed.W_E} (V, C),
 * {@code pos_embed.W_pos} (contextLength, C; learned positions only), {@code blocks.i.attn.W_Q|W_K|W_V} (C, C) with heads
 * laid out as (C, H*D), {@code blocks.i.attn.W_O} (C, C), {@code blocks.i.mlp.W_in} (C, M),
 * {@code blocks.i.mlp.W_out} (M, C), {@code unembed.W_U} (C, V); LayerNorm weights {@code .w},
 * biases {@code .b} / {@code .b_X}. With rotary positions the queries and keys are turned after
 * {@code attn.hook_q|hook_k} and read again at {@code attn.hook_rot_q|hook_rot_k} (TransformerLens's names).
 *
 * <p>Every forward pass runs under an {@link NDManager} scope the caller opens and closes
 * ({@code try (NDManager scope = model.newScope()) {...}}); the model never creates an array
 * elsewhere except its parameters and a cached causal mask per length.
 */
public final class LanguageModel implements AutoCloseable {
    private static final float LAYER_NORM_EPS = 1e-5f;
    private static final int LOG_PROB_CHUNK = 64; // rows per forward pass in logProbs
    /**
     * What one more forward and backward pass costs in {@link #loss}, in positions run (Batch#byLength). Pretraining
     * a default base (batch 128, episodes of 1 to 3 turns: rows need 12 or 13, 20 or 21, 28 or 29 tokens), 200 steps
     * took 9.8 to 10.0 s at 100 to 200 (three passes), 10.0 to 10.2 s at 400, 9.8 to 10.6 s at 0 (six passes) and
     * 11.8 to 12.4 s at 1000 and above (one pass), 2026-12-08 on the AMD EPYC of docs/benchmarks.md.
     */
    public static final int POSITIONS_PER_PASS = 200;

    private final Transformer config;
    private final DataType dataType;
    private final NDManager weights; // owns the parameters and causal masks
    private final Map<String, NDArray> parameters; // TransformerLens names, creation order
    private final Map<Integer, NDArray> causalMasks = new HashMap<>(); // T -> (T, T)
    private final Map<Integer, NDArray[]> rotaryTables = new HashMap<>(); // T -> cos, sin, rotate-half
    private final NDArray attentionScale; // () 1 / sqrt(D), see the note in forward
    private final List<String> hookNames;

    private LanguageModel(Transformer config, DataType dataType, NDManager weights,
            Map<String, NDArray> parameters) {
        this.config = config;
        this.dataType = dataType;
        this.weights = weights;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.hookNames = config.hookNames();
        for (NDArray p : parameters.values()) {
            p.setRequiresGradient(true);
        }
        this.attentionScale = create(weights, new double[] {1 / Math.sqrt(config.headDim())}, dataType, new Shape());
        NDScope.unregister(attentionScale);
    }

    /**
     * A freshly initialised model: weights ~ N(0, 0.02), the two projections that write into the
     * residual stream scaled by 1/sqrt(2 * layers) (GPT-2), biases 0, LayerNorm gains 1.
     *
     * @param dataType FLOAT32 for work, FLOAT64 for gradient checks
     */
    public static LanguageModel initialize(Transformer config, long seed, DataType dataType, NDManager parent) {
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
            throw new IllegalArgumentException("dataType must be FLOAT32 or FLOAT64, got " + dataType);
        }
        Rng rng = new Rng(seed);
        double std = 0.02;
        double residStd = std / Math.sqrt(2.0 * config.layers());
        NDManager weights = parent.newSubManager();
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : parameterShapes(config).entrySet()) {
            String name = e.getKey();
            String kind = name.substring(name.lastIndexOf('.') + 1); // W_Q, b_Q, w, b, ...
            double[] values = new double[(int) e.getValue().size()];
            if (kind.equals("w")) {
                Arrays.fill(values, 1.0); // LayerNorm gain
            } else if (kind.startsWith("W_")) {
                double s = kind.equals("W_O") || kind.equals("W_out") ? residStd : std;
                for (int i = 0; i < values.length; i++) {
                    values[i] = s * rng.nextGaussian();
                }
            } // biases stay 0
            p.put(name, create(weights, values, dataType, e.getValue()));
        }
        return new LanguageModel(config, dataType, weights, p);
    }

    /** The name and shape of every parameter, in a fixed order. */
    public static Map<String, Shape> parameterShapes(Transformer config) {
        int c = config.dModel();
        int m = config.dMlp();
        Map<String, Shape> p = new LinkedHashMap<>();
        p.put("embed.W_E", new Shape(config.vocabSize(), c));
        if (config.positions() == Transformer.Positions.LEARNED) {
            p.put("pos_embed.W_pos", new Shape(config.contextLength(), c));
        }
        for (int i = 0; i < config.layers(); i++) {
            String b = Transformer.block(i);
            p.put(b + "ln1.w", new Shape(c));
            p.put(b + "ln1.b", new Shape(c));
            for (String x : List.of("Q", "K", "V", "O")) {
                p.put(b + "attn.W_" + x, new Shape(c, c));
                p.put(b + "attn.b_" + x, new Shape(c));
            }
            p.put(b + "ln2.w", new Shape(c));
            p.put(b + "ln2.b", new Shape(c));
            p.put(b + "mlp.W_in", new Shape(c, m));
            p.put(b + "mlp.b_in", new Shape(m));
            p.put(b + "mlp.W_out", new Shape(m, c));
            p.put(b + "mlp.b_out", new Shape(c));
        }
        p.put("ln_final.w", new Shape(c));
        p.put("ln_final.b", new Shape(c));
        p.put("unembed.W_U", new Shape(c, config.vocabSize()));
        p.put("unembed.b_U", new Shape(config.vocabSize()));
        return p;
    }

    /** A model over the given parameters, which it takes ownership of (moved under a new manager). */
    static LanguageModel fromParameters(Transformer config, Map<String, NDArray> loaded, NDManager parent) {
        Map<String, Shape> shapes = parameterShapes(config);
        for (String name : loaded.keySet()) {
            if (!shapes.containsKey(name)) {
                throw new IllegalArgumentException("unexpected parameter " + name + "; expected " + shapes.keySet());
            }
        }
        DataType dataType = loaded.values().iterator().next().getDataType();
        NDManager weights = parent.newSubManager();
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            NDArray array = loaded.get(e.getKey());
            if (array == null) {
                weights.close();
                throw new IllegalArgumentException("missing parameter " + e.getKey());
            }
            if (!array.getShape().equals(e.getValue()) || array.getDataType() != dataType) {
                weights.close();
                throw new IllegalArgumentException("parameter " + e.getKey() + " is " + array.getDataType()
                        + array.getShape() + ", expected " + dataType + e.getValue());
            }
            array.attach(weights);
            p.put(e.getKey(), array);
        }
        return new LanguageModel(config, dataType, weights, p);
    }

    public Transformer config() {
        return config;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Parameters by TransformerLens name, in a fixed order. Do not close them. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** Every valid hook name. */
    public List<String> hookNames() {
        return hookNames;
    }

    /** A scope for one forward (and backward) pass; close it to free every activation. */
    public NDManager newScope() {
        return weights.getParentManager().newSubManager();
    }

    // ---------------------------------------------------------------- the forward pass

    /** Logits (B, T, V) for token ids (B, T), created in {@code scope}. Dropout is off. */
    public NDArray forward(NDManager scope, int[][] tokens, Hooks hooks) {
        return forward(tokenArray(scope, tokens), hooks, false);
    }

    /** Logits (B, T, V) for int64 token ids (B, T); arrays are created in the tokens' manager. */
    NDArray forward(NDArray tokens, Hooks hooks, boolean training) {
        hooks.validate(hookNames);
        NDManager scope = tokens.getManager();
        long batch = tokens.getShape().get(0);
        int t = (int) tokens.getShape().get(1);
        int c = config.dModel();
        int h = config.heads();
        int d = config.headDim();
        if (t > config.contextLength()) {
            throw new IllegalArgumentException("sequence of " + t + " tokens exceeds contextLength "
                    + config.contextLength());
        }

        NDArray tokenEmbed = tokens.getNDArrayInternal()
                .embedding(tokens, p("embed.W_E"), SparseFormat.DENSE).singletonOrThrow();
        NDArray embed = hooks.apply("hook_embed", tokenEmbed); // (B, T, C)
        boolean rotary = config.positions() == Transformer.Positions.ROTARY;
        if (!rotary) {
            NDArray posEmbed = hooks.apply("hook_pos_embed", // (1, T, C)
                    p("pos_embed.W_pos").get(scope, new NDIndex("0:" + t)).expandDims(0));
            embed = embed.add(posEmbed);
        }
        NDArray resid = dropout(embed, training); // (B, T, C)

        // Never multiply or divide by a Java Number here: DJL wraps it in a scalar array that it
        // frees at once, while autograd keeps that scalar for the backward pass (use after free,
        // seen as rare NaN gradients). Scalars live as long as the model instead.
        NDArray mask = causalMask(t); // (T, T): 0 on and below the diagonal, -inf above
        for (int i = 0; i < config.layers(); i++) {
            String b = Transformer.block(i);
            resid = hooks.apply(b + "hook_resid_pre", resid);

            // causal multi-head self-attention
            NDArray x = layerNorm(resid, b + "ln1");
            NDArray q = hooks.apply(b + "attn.hook_q", linear(x, b + "attn.W_Q", b + "attn.b_Q").reshape(batch, t, h, d));
            NDArray k = hooks.apply(b + "attn.hook_k", linear(x, b + "attn.W_K", b + "attn.b_K").reshape(batch, t, h, d));
            if (rotary) {
                q = hooks.apply(b + "attn.hook_rot_q", rotate(q, t));
                k = hooks.apply(b + "attn.hook_rot_k", rotate(k, t));
            }
            NDArray v = hooks.apply(b + "attn.hook_v", linear(x, b + "attn.W_V", b + "attn.b_V").reshape(batch, t, h, d));
            NDArray scores = q.transpose(0, 2, 1, 3) // (B, H, T, D)
                    .matMul(k.transpose(0, 2, 3, 1)) // (B, H, D, T)
                    .mul(attentionScale) // (B, H, T, T) scaled by 1/sqrt(D)
                    .add(mask);
            NDArray pattern = hooks.apply(b + "attn.hook_pattern", scores.softmax(-1)); // (B, H, Tq, Tk)
            NDArray z = hooks.apply(b + "attn.hook_z", dropout(pattern, training)
                    .matMul(v.transpose(0, 2, 1, 3)) // (B, H, T, D)
                    .transpose(0, 2, 1, 3)); // (B, T, H, D)
            NDArray attnOut = hooks.apply(b + "hook_attn_out",
                    linear(z.reshape(batch, t, c), b + "attn.W_O", b + "attn.b_O")); // (B, T, C)
            resid = hooks.apply(b + "hook_resid_mid", resid.add(dropout(attnOut, training)));

            // MLP
            x = layerNorm(resid, b + "ln2");
            NDArray pre = hooks.apply(b + "mlp.hook_pre", linear(x, b + "mlp.W_in", b + "mlp.b_in")); // (B, T, M)
            NDArray post = hooks.apply(b + "mlp.hook_post", pre.getNDArrayInternal().gelu()); // (B, T, M)
            NDArray mlpOut = hooks.apply(b + "hook_mlp_out", linear(post, b + "mlp.W_out", b + "mlp.b_out"));
            resid = hooks.apply(b + "hook_resid_post", resid.add(dropout(mlpOut, training))); // (B, T, C)
        }

        NDArray normalized = hooks.apply("ln_final.hook_normalized", layerNorm(resid, "ln_final"));
        return hooks.apply("logits", linear(normalized, "unembed.W_U", "unembed.b_U")); // (B, T, V)
    }

    /** x W + b over the last axis. */
    private NDArray linear(NDArray x, String weight, String bias) {
        return x.matMul(p(weight)).add(p(bias));
    }

    /** (x - mean) / sqrt(var + eps) * w + b over the last axis (PyTorch's fused kernel). */
    private NDArray layerNorm(NDArray x, String name) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(config.dModel()),
                p(name + ".w"), p(name + ".b"), LAYER_NORM_EPS).singletonOrThrow();
    }

    private NDArray dropout(NDArray x, boolean training) {
        if (!training || config.dropout() == 0) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, (float) config.dropout(), true).singletonOrThrow();
    }

    /**
     * RoPE on (B, T, H, D): x cos(p θ) + half(x) sin(p θ), where half(x) = (−x[D/2:], x[:D/2]) is a
     * fixed (D, D) matrix product and θ_i = 10000^(−2i/D) for the pair (i, i + D/2) (GPT-NeoX layout).
     */
    private NDArray rotate(NDArray x, int t) {
        NDArray[] table = rotaryTables.computeIfAbsent(t, this::rotaryTable);
        return x.mul(table[0]).add(x.matMul(table[2]).mul(table[1]));
    }

    /**
     * cos (1, T, H, D), sin (1, T, H, D) and the rotate-half matrix (D, D), living as long as the model. The
     * tables repeat each head's (T, D) angles H times: PyTorch broadcasts one leading axis several times faster
     * than it broadcasts B and H of (B, T, H, D).
     */
    private NDArray[] rotaryTable(int t) {
        int d = config.headDim();
        int c = config.dModel();
        int half = d / 2;
        double[] cos = new double[t * c];
        double[] sin = new double[t * c];
        for (int position = 0; position < t; position++) {
            for (int i = 0; i < c; i++) {
                double angle = position * rotaryFrequency(i % d % half, d);
                cos[position * c + i] = Math.cos(angle);
                sin[position * c + i] = Math.sin(angle);
            }
        }
        double[] halfTurn = new double[d * d]; // (x R)[j] = -x[j + half] for j < half, x[j - half] after
        for (int j = 0; j < half; j++) {
            halfTurn[(j + half) * d + j] = -1;
            halfTurn[j * d + j + half] = 1;
        }
        NDArray[] table = {
            create(weights, cos, dataType, new Shape(1, t, config.heads(), d)),
            create(weights, sin, dataType, new Shape(1, t, config.heads(), d)),
            create(weights, halfTurn, dataType, new Shape(d, d)),
        };
        for (NDArray a : table) NDScope.unregister(a);
        return table;
    }

    /** θ_i = 10000^(−2i/D): the angle per position of the pair (i, i + D/2). */
    static double rotaryFrequency(int pair, int headDim) {
        return Math.pow(10000, -2.0 * pair / headDim);
    }

    private NDArray causalMask(int t) {
        return causalMasks.computeIfAbsent(t, n -> {
            float[] mask = new float[n * n];
            for (int query = 0; query < n; query++) {
                for (int key = query + 1; key < n; key++) {
                    mask[query * n + key] = Float.NEGATIVE_INFINITY;
                }
            }
            double[] values = new double[mask.length];
            for (int i = 0; i < mask.length; i++) {
                values[i] = mask[i];
            }
            NDArray array = create(weights, values, dataType, new Shape(n, n));
            NDScope.unregister(array); // lives as long as the model, not the caller's scope
            return array;
        });
    }

    private NDArray p(String name) {
        return parameters.get(name);
    }

    // ---------------------------------------------------------------- loss

    /**
     * Mean next-token cross-entropy over the batch, weighted by its loss mask: a scalar in the
     * batch's scope. {@code training} switches dropout on.
     */
    public NDArray loss(NDManager scope, Batch batch, Hooks hooks, boolean training) {
        checkTokens(batch.tokens());
        // Hooks see the batch's own shape; without them the rows run cut to the length each needs (Batch#byLength).
        List<Batch> passes = hooks == Hooks.none() ? batch.byLength(POSITIONS_PER_PASS) : List.of(batch);
        NDArray weighted = null; // sum of weight x log p over every pass
        NDArray total = null; // sum of weights
        for (Batch pass : passes) {
            NDArray logits = forward(pass.inputs(scope), hooks, training); // (B, T-1, V)
            NDArray targets = pass.targets(scope).expandDims(-1); // (B, T-1, 1)
            NDArray logProb = logits.logSoftmax(-1).gather(targets, -1).squeeze(-1); // (B, T-1)
            NDArray weight = pass.weights(scope, dataType); // (B, T-1)
            NDArray sum = logProb.mul(weight).sum();
            weighted = weighted == null ? sum : weighted.add(sum);
            total = total == null ? weight.sum() : total.add(weight.sum());
        }
        return weighted.neg().div(total);
    }

    // ---------------------------------------------------------------- log-probabilities and sampling

    /** log p(tokens[t] | tokens[0..t-1]) for t = 1..n-1. */
    public double[] logProbs(int[] tokens) {
        return logProbs(new int[][] {tokens})[0];
    }

    /**
     * For each sequence (lengths may differ, each at least 1 and at most contextLength + 1), the
     * log-probability of every token after the first given those before it. Sequences are padded
     * on the right and run together; causal attention keeps the padding from reaching them.
     */
    public double[][] logProbs(int[][] sequences) {
        checkTokens(sequences);
        double[][] out = new double[sequences.length][];
        int[] lengths = new int[sequences.length];
        for (int r = 0; r < sequences.length; r++) {
            if (sequences[r].length < 1 || sequences[r].length > config.contextLength() + 1) {
                throw new IllegalArgumentException("sequence " + r + " has " + sequences[r].length
                        + " tokens; allowed 1.." + (config.contextLength() + 1));
            }
            lengths[r] = sequences[r].length;
            if (lengths[r] == 1) out[r] = new double[0];
        }
        for (int[] group : Batch.byLength(lengths, POSITIONS_PER_PASS)) {
            for (int from = 0; from < group.length; from += LOG_PROB_CHUNK) {
                int[] rows = Arrays.copyOfRange(group, from, Math.min(group.length, from + LOG_PROB_CHUNK));
                int longest = 1;
                for (int r : rows) longest = Math.max(longest, lengths[r]);
                if (longest == 1) continue;
                int[][] padded = new int[rows.length][longest];
                for (int i = 0; i < rows.length; i++) System.arraycopy(sequences[rows[i]], 0, padded[i], 0, lengths[rows[i]]);
                Batch batch = Batch.of(padded);
                double[] flat;
                try (NDManager scope = newScope()) {
                    NDArray logits = forward(batch.inputs(scope), Hooks.none(), false); // (B, L-1, V)
                    NDArray targets = batch.targets(scope).expandDims(-1);
                    flat = logits.logSoftmax(-1).gather(targets, -1)
                            .toType(DataType.FLOAT64, false).toDoubleArray(); // (B * (L-1))
                }
                for (int i = 0; i < rows.length; i++) {
                    out[rows[i]] = Arrays.copyOfRange(flat, i * (longest - 1), i * (longest - 1) + lengths[rows[i]] - 1);
                }
            }
        }
        return out;
    }

    /** One completion of {@code prompt}; see {@link #sample(int[][], int, int, Rng)}. */
    public int[] sample(int[] prompt, int maxTokens, int stopToken, Rng rng) {
        return sample(new int[][] {prompt}, maxTokens, stopToken, rng)[0];
    }

    /**
     * Samples a completion of each prompt at temperature 1, all prompts in one batch. A completion
     * ends after {@code maxTokens} tokens, after {@code stopToken} (included; pass -1 for none), or
     * when the sequence is one token longer than the context. Returns the completions without the
     * prompts.
     */
    public int[][] sample(int[][] prompts, int maxTokens, int stopToken, Rng rng) {
        checkTokens(prompts);
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
        }
        int n = prompts.length;
        List<List<Integer>> completions = new ArrayList<>();
        boolean[] done = new boolean[n];
        for (int r = 0; r < n; r++) {
            if (prompts[r].length < 1 || prompts[r].length > config.contextLength()) {
                throw new IllegalArgumentException("prompt " + r + " has " + prompts[r].length
                        + " tokens; allowed 1.." + config.contextLength());
            }
            completions.add(new ArrayList<>());
        }
        int vocab = config.vocabSize();
        for (int step = 0; step < maxTokens; step++) {
            List<Integer> active = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                if (!done[r]) {
                    active.add(r);
                }
            }
            if (active.isEmpty()) {
                break;
            }
            int[] lengths = new int[active.size()];
            for (int a = 0; a < lengths.length; a++) lengths[a] = prompts[active.get(a)].length + completions.get(active.get(a)).size();
            float[] logProb = new float[active.size() * vocab]; // (A * V): each active row's next-token log-probabilities
            for (int[] group : Batch.byLength(lengths, POSITIONS_PER_PASS)) { // rows of like length run together
                int longest = 0;
                for (int a : group) longest = Math.max(longest, lengths[a]);
                long[] tokens = new long[group.length * longest];
                long[] last = new long[group.length * vocab]; // (G, 1, V): position of each row's last token
                for (int g = 0; g < group.length; g++) {
                    int r = active.get(group[g]);
                    for (int j = 0; j < lengths[group[g]]; j++) {
                        tokens[g * longest + j] = j < prompts[r].length ? prompts[r][j]
                                : completions.get(r).get(j - prompts[r].length);
                    }
                    Arrays.fill(last, g * vocab, (g + 1) * vocab, lengths[group[g]] - 1);
                }
                try (NDManager scope = newScope()) {
                    NDArray input = scope.create(tokens, new Shape(group.length, longest));
                    NDArray logits = forward(input, Hooks.none(), false); // (G, L, V)
                    NDArray lastIndex = scope.create(last, new Shape(group.length, 1, vocab));
                    float[] rows = logits.gather(lastIndex, 1).logSoftmax(-1).toType(DataType.FLOAT32, false).toFloatArray();
                    for (int g = 0; g < group.length; g++) System.arraycopy(rows, g * vocab, logProb, group[g] * vocab, vocab);
                }
            }
            for (int a = 0; a < active.size(); a++) {
                int r = active.get(a);
                double[] probs = new double[vocab];
                for (int v = 0; v < vocab; v++) {
                    probs[v] = Math.exp(logProb[a * vocab + v]);
                }
                int next = rng.nextCategorical(probs);
                completions.get(r).add(next);
                if (next == stopToken || prompts[r].length + completions.get(r).size() > config.contextLength()) {
                    done[r] = true;
                }
            }
        }
        int[][] out = new int[n][];
        for (int r = 0; r < n; r++) {
            out[r] = completions.get(r).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    // ---------------------------------------------------------------- persistence

    /** Writes config and weights to {@code file} (via a temporary file and an atomic rename). */
    public void save(Path file) throws IOException {
        TensorFile.writeAtomically(file, out -> {
            TensorFile.writeConfig(out, config);
            TensorFile.writeTensors(out, parameters);
        });
    }

    /** Reads a model written by {@link #save}. */
    public static LanguageModel load(Path file, NDManager parent) throws IOException {
        return TensorFile.read(file, in -> {
            Transformer config = TensorFile.readConfig(in);
            try (NDManager staging = parent.newSubManager()) {
                Map<String, NDArray> loaded = TensorFile.readTensors(in, staging);
                return fromParameters(config, loaded, parent);
            }
        });
    }

    /**
     * An independent copy under {@code parent}, its parameters equal bit for bit: what {@link #save} then
     * {@link #load} gave, without the file. Tuning the copy leaves this model as it was.
     */
    public LanguageModel copy(NDManager parent) {
        try (NDManager staging = parent.newSubManager()) {
            Map<String, NDArray> copied = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray a = e.getValue();
                copied.put(e.getKey(), a.getDataType() == DataType.FLOAT64 ? staging.create(a.toDoubleArray(), a.getShape())
                        : staging.create(a.toFloatArray(), a.getShape()));
            }
            return fromParameters(config, copied, parent);
        }
    }

    /** Frees the parameters. */
    @Override
    public void close() {
        weights.close();
    }

    private NDArray tokenArray(NDManager scope, int[][] tokens) {
        checkTokens(tokens);
        int t = tokens[0].length;
        long[] flat = new long[tokens.length * t];
        for (int r = 0; r < tokens.length; r++) {
            if (tokens[r].length != t) {
                throw new IllegalArgumentException("rows must all have length " + t + ", row " + r
                        + " has " + tokens[r].length);
            }
            for (int j = 0; j < t; j++) {
                flat[r * t + j] = tokens[r][j];
            }
        }
        return scope.create(flat, new Shape(tokens.length, t));
    }

    private void checkTokens(int[][] sequences) {
        if (sequences.length == 0) {
            throw new IllegalArgumentException("need at least one sequence");
        }
        for (int r = 0; r < sequences.length; r++) {
            for (int token : sequences[r]) {
                if (token < 0 || token >= config.vocabSize()) {
                    throw new IllegalArgumentException("token " + token + " in sequence " + r
                            + " is outside the vocabulary 0.." + (config.vocabSize() - 1));
                }
            }
        }
    }

    private static NDArray create(NDManager manager, double[] values, DataType type, Shape shape) {
        if (type == DataType.FLOAT64) {
            return manager.create(values, shape);
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return manager.create(floats, shape);
    }
}
