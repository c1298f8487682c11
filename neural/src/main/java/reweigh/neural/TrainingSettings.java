package reweigh.neural;

/**
 * How to train: the learning-rate schedule, AdamW's settings and the global gradient-norm clip.
 *
 * @param schedule learning rate per step
 * @param adam optimiser settings
 * @param maxGradNorm gradients are scaled so their global L2 norm is at most this; > 0, or
 *     {@code Double.POSITIVE_INFINITY} for no clipping
 */
public record TrainingSettings(LearningRateSchedule schedule, AdamW.Settings adam, double maxGradNorm) {

    public TrainingSettings {
        if (schedule == null || adam == null) {
            throw new IllegalArgumentException("TrainingSettings: schedule and adam are required");
        }
        if (!(maxGradNorm > 0)) {
            throw new IllegalArgumentException("TrainingSettings: maxGradNorm must be > 0 (or infinity for no"
                    + " clipping), got " + maxGradNorm);
        }
    }

    /**
     * nanoGPT-like defaults for {@code totalSteps}: peak 1e-3 after 10% warm-up (at most 100 steps),
     * cosine decay to 1e-4, AdamW (0.9, 0.95, 1e-8, decay 0.1), clip at 1.
     */
    public static TrainingSettings defaults(int totalSteps) {
        int warmup = Math.min(100, totalSteps / 10);
        return new TrainingSettings(new LearningRateSchedule(1e-3, 1e-4, warmup, totalSteps),
                AdamW.Settings.defaults(), 1.0);
    }
}
