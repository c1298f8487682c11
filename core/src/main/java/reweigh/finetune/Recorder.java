package reweigh.finetune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import reweigh.measure.Policy;

/**
 * Collects a method's trajectory: a point at step 0, about {@code points} evenly spaced points, and the
 * final step. Each point carries the policy, the weights where the method has them, the exact expected
 * reward and the exact KL to the base on training contexts, and whatever the method adds.
 */
public final class Recorder {
    /** log(w_a / w_b) at one recorded point, in nats. */
    @FunctionalInterface
    public interface LogOdds {
        double of(int a, int b);

        /** From the weights themselves: what an iterative method has. */
        static LogOdds ofWeights(double[] w) { return (a, b) -> Math.log(w[a] / w[b]); }
    }

    /**
     * One recorded step. {@code weights} and {@code odds} are null for methods that change behaviour, not
     * weights ({@code tilt}). A closed form gives its odds as a difference of logs, which stays exact where
     * the weights themselves round to 0 (kl-rl at tiny beta).
     */
    public record Point(int step, Policy policy, double[] weights, LogOdds odds, Map<String, Double> scalars) {
        /** log(w_a / w_b); NaN for a point without weights. */
        public double logOdds(int a, int b) { return odds == null ? Double.NaN : odds.of(a, b); }
    }

    private final Problem problem;
    private final int points;
    private final DoubleConsumer progress;
    private final List<Point> recorded = new ArrayList<>();
    private int every = 1;
    private int steps = 1;

    public Recorder(Problem problem, int points, DoubleConsumer progress) {
        this.problem = problem;
        this.points = Math.max(1, points);
        this.progress = progress == null ? f -> {} : progress;
    }

    /** Called once by the method before it starts. */
    void start(int totalSteps) {
        this.steps = Math.max(1, totalSteps);
        this.every = Math.max(1, totalSteps / points);
    }

    /** Whether {@code step} should be recorded; also reports progress. */
    boolean wants(int step) {
        if (step % every == 0) progress.accept(step / (double) steps);
        return step == 0 || step == steps || step % every == 0;
    }

    void weights(int step, double[] weights, Map<String, Double> extra) {
        double[] w = weights.clone();
        weights(step, w, LogOdds.ofWeights(w), extra);
    }

    /** Weights whose log-odds the method computes itself ({@code weights} is not copied). */
    void weights(int step, double[] weights, LogOdds odds, Map<String, Double> extra) {
        record(step, problem.mixture(weights), weights, odds, problem.mixtureTable(weights), extra);
    }

    void point(int step, Policy policy, double[] weights, Map<String, Double> extra) {
        record(step, policy, weights, weights == null ? null : LogOdds.ofWeights(weights), problem.table(policy), extra);
    }

    /** {@code table}: the policy on the training contexts, (X, R), from which reward and KL are exact sums. */
    private void record(int step, Policy policy, double[] weights, LogOdds odds, double[][] table, Map<String, Double> extra) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("reward", problem.expectedReward(table));
        scalars.put("kl", problem.klToBase(table));
        // sorted: methods pass Map.of, whose iteration order changes from one JVM to the next
        if (extra != null) scalars.putAll(new java.util.TreeMap<>(extra));
        recorded.add(new Point(step, policy, weights, odds, scalars));
        if (step == steps) progress.accept(1);
    }

    public List<Point> points() { return List.copyOf(recorded); }

    public Point last() { return recorded.get(recorded.size() - 1); }
}
