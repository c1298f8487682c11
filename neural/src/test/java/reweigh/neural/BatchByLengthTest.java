package reweigh.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows cut to the length they need ({@link Batch#byLength}) lose no weighed token, and the loss over
 * the cut batches is the loss over the padded batch: same value and same gradient, in float64, against
 * one forward pass of the whole batch (hooks keep the batch whole).
 */
class BatchByLengthTest {

    /** A batch of right-padded rows of random lengths, each weighing a random run of its tokens. */
    private static Batch randomBatch(Rng rng, int rows, int length, int vocab) {
        int[][] tokens = new int[rows][length];
        float[][] mask = new float[rows][length];
        for (int r = 0; r < rows; r++) {
            int used = 2 + rng.nextInt(length - 1);
            for (int t = 0; t < used; t++) tokens[r][t] = 1 + rng.nextInt(vocab - 1);
            int from = 1 + rng.nextInt(used - 1);
            for (int t = from; t < used; t++) mask[r][t] = 0.5f + rng.nextInt(3);
        }
        return new Batch(tokens, mask);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyRowGoesToOneGroupWithEveryWeighedToken(long seed) {
        Rng rng = new Rng(seed);
        Batch batch = randomBatch(rng, 1 + rng.nextInt(40), 2 + rng.nextInt(30), 9);
        int perPass = rng.nextInt(300);
        List<Batch> groups = batch.byLength(perPass);
        List<int[]> seen = new ArrayList<>();
        double weight = 0;
        int previousLongest = 0;
        for (Batch g : groups) {
            assertTrue(g.length() > previousLongest, "groups come shortest first, each padded to its own longest row");
            previousLongest = g.length();
            for (int r = 0; r < g.size(); r++) {
                seen.add(g.tokens()[r]);
                for (int t = 1; t < g.length(); t++) weight += g.lossMask()[r][t];
            }
        }
        assertEquals(batch.size(), seen.size(), "every row once");
        double expected = 0;
        for (int r = 0; r < batch.size(); r++) {
            for (int t = 1; t < batch.length(); t++) expected += batch.lossMask()[r][t];
            int[] row = batch.tokens()[r];
            assertTrue(seen.stream().anyMatch(cut -> java.util.Arrays.equals(cut, java.util.Arrays.copyOf(row, cut.length))),
                    "row " + r + " is in a group, cut after its last weighed token");
        }
        assertEquals(expected, weight, 1e-9, "no weighed token is cut off");
    }

    @Test
    void aCostlyPassKeepsOneGroupAndAFreeOneSplitsByEveryLength() {
        int[][] tokens = {{1, 2, 3, 0, 0}, {1, 2, 0, 0, 0}, {1, 2, 3, 4, 5}, {1, 2, 3, 0, 0}, {1, 2, 3, 4, 0}};
        float[][] mask = {{0, 1, 1, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 1, 1, 1}, {0, 0, 1, 0, 0}, {0, 0, 0, 0, 0}};
        Batch batch = new Batch(tokens, mask);
        assertEquals(4, batch.byLength(0).stream().mapToInt(Batch::size).sum(), "the row that weighs nothing is left out");
        assertEquals(1, batch.byLength(1000).size());
        assertEquals(5, batch.byLength(1000).get(0).length());
        List<Batch> split = batch.byLength(0);
        assertEquals(List.of(2, 3, 5), split.stream().map(Batch::length).toList());
        assertArrayEquals(new int[] {1, 2, 3}, split.get(1).tokens()[0]);
        assertArrayEquals(new int[] {1, 2, 3}, split.get(1).tokens()[1]);
        // padding the row of 2 to 3 costs 1 position, less than a pass of its own (3)
        assertEquals(List.of(3, 5), batch.byLength(3).stream().map(Batch::length).toList());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void theLossAndItsGradientAreThoseOfOnePassOverThePaddedBatch(long seed) {
        Rng rng = new Rng(seed);
        Transformer config = new Transformer(9, 12, 8, 2, 2, 2, 0.0, Transformer.Positions.ROTARY);
        Batch batch = randomBatch(rng, 12, 12, 9);
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(config, seed, DataType.FLOAT64, root);
                Hooks whole = Hooks.on(root)) {
            assertTrue(batch.byLength(0).size() > 1, "the batch is cut into several passes");
            double[] cut = lossAndGradient(model, batch, Hooks.none());
            double[] once = lossAndGradient(model, batch, whole);
            assertEquals(once.length, cut.length);
            for (int i = 0; i < once.length; i++) {
                assertEquals(once[i], cut[i], 1e-12 * (1 + Math.abs(once[i])), i == 0 ? "loss" : "gradient element " + (i - 1));
            }
        }
    }

    @Test
    void logProbabilitiesOfRowsOfUnlikeLengthAreThoseOfEachRowAlone() {
        Rng rng = new Rng(21);
        Transformer config = new Transformer(9, 30, 8, 2, 2, 2, 0.0, Transformer.Positions.ROTARY);
        int[][] sequences = new int[150][];
        int[] lengths = new int[sequences.length];
        for (int r = 0; r < sequences.length; r++) {
            sequences[r] = new int[1 + rng.nextInt(30)];
            for (int t = 0; t < sequences[r].length; t++) sequences[r][t] = 1 + rng.nextInt(8);
            lengths[r] = sequences[r].length;
        }
        assertTrue(Batch.byLength(lengths, LanguageModel.POSITIONS_PER_PASS).size() > 1, "several passes");
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(config, 3, DataType.FLOAT64, root)) {
            double[][] together = model.logProbs(sequences);
            for (int r = 0; r < sequences.length; r++) {
                double[] alone = model.logProbs(sequences[r]);
                assertEquals(alone.length, together[r].length);
                for (int t = 0; t < alone.length; t++) assertEquals(alone[t], together[r][t], 1e-12, "row " + r + " token " + t);
            }
        }
    }

    /** The loss, then every parameter's gradient flattened in parameter order. */
    private static double[] lossAndGradient(LanguageModel model, Batch batch, Hooks hooks) {
        List<Double> out = new ArrayList<>();
        try (NDManager scope = model.newScope(); Djl.Gradients collector = new Djl.Gradients()) {
            NDArray loss = model.loss(scope, batch, hooks, false);
            out.add(Djl.scalar(loss));
            collector.backward(loss);
            for (NDArray p : model.parameters().values()) {
                try (NDArray g = p.getGradient()) {
                    for (double v : g.toDoubleArray()) out.add(v);
                    g.muli(0);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
