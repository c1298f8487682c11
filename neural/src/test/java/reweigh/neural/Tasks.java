package reweigh.neural;

/** Toy data shared by the training tests. */
final class Tasks {
    private Tasks() {}

    /**
     * Counting: each row starts at a random token and adds 1 mod vocab at every step, so every
     * token after the first is determined. The loss mask covers the second half only (as if it
     * were a response), so learning it also shows the mask reaches the gradient.
     */
    static Batch counting(Rng rng, int rows, int length, int vocab) {
        int[][] tokens = new int[rows][length];
        float[][] mask = new float[rows][length];
        for (int r = 0; r < rows; r++) {
            tokens[r][0] = rng.nextInt(vocab);
            for (int t = 1; t < length; t++) {
                tokens[r][t] = (tokens[r][t - 1] + 1) % vocab;
                mask[r][t] = t >= length / 2 ? 1f : 0f;
            }
        }
        return new Batch(tokens, mask);
    }

    /** Uniformly random tokens with no mask. */
    static Batch random(Rng rng, int rows, int length, int vocab) {
        int[][] tokens = new int[rows][length];
        for (int[] row : tokens) {
            for (int t = 0; t < length; t++) {
                row[t] = rng.nextInt(vocab);
            }
        }
        return Batch.of(tokens);
    }
}
