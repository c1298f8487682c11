package reweigh.neural;

/**
 * Linear warm-up from {@code peak / warmupSteps} to {@code peak} over the first
 * {@code warmupSteps} steps, then cosine decay to {@code min} at {@code totalSteps}, then flat.
 *
 * @param peak learning rate at the end of warm-up
 * @param min learning rate at and after {@code totalSteps}
 * @param warmupSteps steps of linear warm-up (0 = start at the peak)
 * @param totalSteps step at which the decay reaches {@code min}
 */
public record LearningRateSchedule(double peak, double min, int warmupSteps, int totalSteps) {

    public LearningRateSchedule {
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("LearningRateSchedule: peak must be finite and > 0, got " + peak);
        }
        if (!(min >= 0 && min <= peak)) {
            throw new IllegalArgumentException("LearningRateSchedule: min must be in [0, peak=" + peak + "], got " + min);
        }
        if (warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("LearningRateSchedule: need 0 <= warmupSteps <= totalSteps and"
                    + " totalSteps >= 1, got warmupSteps=" + warmupSteps + " totalSteps=" + totalSteps);
        }
    }

    /** A constant rate. */
    public static LearningRateSchedule constant(double rate) {
        return new LearningRateSchedule(rate, rate, 0, 1);
    }

    /** The rate for the update at 0-based {@code step}. */
    public double rate(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return min;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps); // [0, 1)
        return min + 0.5 * (1 + Math.cos(Math.PI * progress)) * (peak - min);
    }
}
