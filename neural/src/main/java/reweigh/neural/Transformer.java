package reweigh.neural;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a decoder-only transformer: pre-LayerNorm blocks of causal multi-head self-attention
 * and a GELU MLP, learned token embeddings, positions either learned (GPT-2) or rotary (RoPE), a final
 * LayerNorm and an untied unembedding.
 *
 * @param vocabSize number of token ids, {@code 0..vocabSize-1}
 * @param contextLength the most positions the model reads at once
 * @param dModel width of the residual stream
 * @param heads attention heads per layer; each has width {@code dModel / heads}
 * @param layers number of transformer blocks
 * @param mlpRatio hidden width of the MLP as a multiple of {@code dModel}
 * @param dropout drop probability on embeddings, attention pattern and block outputs (0 = none)
 * @param positions how a token's position reaches attention
 */
public record Transformer(
        int vocabSize, int contextLength, int dModel, int heads, int layers, int mlpRatio, double dropout,
        Positions positions) {

    /** How a token's position reaches attention. */
    public enum Positions {
        /**
         * A learned vector per absolute position added to the token embedding ({@code pos_embed.W_pos},
         * GPT-2). What is learnt at one position is not shared with another.
         */
        LEARNED,
        /**
         * Rotary position embedding (RoPE; Su et al., "RoFormer", arXiv:2104.09864): each head's query
         * and key are rotated by their position, pairs (i, i + D/2) by angle p / 10000^(2i/D), so a
         * query-key score depends on the two tokens and their offset alone. A head that reads the
         * operands 4 and 5 tokens back at one turn reads them at every turn. No position parameters.
         */
        ROTARY;

        /** The spec's spelling: {@code learned} or {@code rotary}. */
        @Override public String toString() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public Transformer {
        require(vocabSize >= 2, "vocabSize must be at least 2, got " + vocabSize);
        require(contextLength >= 1, "contextLength must be at least 1, got " + contextLength);
        require(dModel >= 1, "dModel must be at least 1, got " + dModel);
        require(heads >= 1, "heads must be at least 1, got " + heads);
        require(dModel % heads == 0,
                "dModel must be a multiple of heads, got dModel=" + dModel + " heads=" + heads);
        require(layers >= 1, "layers must be at least 1, got " + layers);
        require(mlpRatio >= 1, "mlpRatio must be at least 1, got " + mlpRatio);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        require(positions != null, "positions must be given");
        require(positions != Positions.ROTARY || (dModel / heads) % 2 == 0,
                "rotary positions need an even head width, got dModel/heads=" + dModel / heads);
    }

    /** A transformer with learned positions. */
    public Transformer(int vocabSize, int contextLength, int dModel, int heads, int layers, int mlpRatio, double dropout) {
        this(vocabSize, contextLength, dModel, heads, layers, mlpRatio, dropout, Positions.LEARNED);
    }

    /** A transformer with learned positions and without dropout. */
    public Transformer(int vocabSize, int contextLength, int dModel, int heads, int layers, int mlpRatio) {
        this(vocabSize, contextLength, dModel, heads, layers, mlpRatio, 0.0);
    }

    public Transformer withPositions(Positions p) {
        return new Transformer(vocabSize, contextLength, dModel, heads, layers, mlpRatio, dropout, p);
    }

    /** Width of one attention head. */
    public int headDim() {
        return dModel / heads;
    }

    /** Hidden width of the MLP. */
    public int dMlp() {
        return dModel * mlpRatio;
    }

    /** The first part of every name in a layer, TransformerLens's {@code blocks.}. */
    public static final String BLOCKS = "blocks.";

    /** The prefix of layer {@code layer}'s hook points and parameters, {@code blocks.{layer}.} (e.g. {@code blocks.1.hook_resid_post}). */
    public static String block(int layer) { return BLOCKS + layer + "."; }

    /** The residual stream's hook points: the embeddings (before block 0), then after each block. */
    public List<String> residualHooks() {
        List<String> hooks = new ArrayList<>(List.of(block(0) + "hook_resid_pre"));
        for (int l = 0; l < layers; l++) hooks.add(block(l) + "hook_resid_post");
        return hooks;
    }

    /** What a report calls each of {@link #residualHooks}' points, for a model of {@code layers} blocks. */
    public static List<String> residualLabels(int layers) {
        List<String> names = new ArrayList<>(List.of("embeddings"));
        for (int l = 0; l < layers; l++) names.add("after block " + l);
        return names;
    }

    /** Every hook point, in the order the forward pass reaches them (TransformerLens names). */
    public List<String> hookNames() {
        List<String> names = new ArrayList<>(List.of("hook_embed"));
        if (positions == Positions.LEARNED) names.add("hook_pos_embed");
        for (int i = 0; i < layers; i++) {
            String b = block(i);
            names.addAll(List.of(b + "hook_resid_pre", b + "attn.hook_q", b + "attn.hook_k"));
            if (positions == Positions.ROTARY) names.addAll(List.of(b + "attn.hook_rot_q", b + "attn.hook_rot_k"));
            names.addAll(List.of(
                    b + "attn.hook_v",
                    b + "attn.hook_pattern", b + "attn.hook_z",
                    b + "hook_attn_out", b + "hook_resid_mid",
                    b + "mlp.hook_pre", b + "mlp.hook_post",
                    b + "hook_mlp_out", b + "hook_resid_post"));
        }
        names.addAll(List.of("ln_final.hook_normalized", "logits"));
        return List.copyOf(names);
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        long c = dModel;
        long perBlock = 2 * 2 * c // two LayerNorms
                + 4 * (c * c + c) // W_Q, W_K, W_V, W_O and biases
                + c * dMlp() + dMlp() + dMlp() * c + c; // MLP
        long positionTable = positions == Positions.LEARNED ? (long) contextLength * c : 0;
        return (long) vocabSize * c + positionTable + layers * perBlock + 2 * c
                + c * vocabSize + vocabSize;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Transformer: " + message);
        }
    }
}
