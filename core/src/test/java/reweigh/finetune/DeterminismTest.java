package reweigh.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sampled method is a function of its seed: two runs with one seed give bitwise-identical trajectories
 * (weights and recorded scalars, compared by their bits, tolerance 0), and another seed gives a different
 * one, which shows the seed is what drives the randomness.
 */
class DeterminismTest {

    static Stream<Method> sampledMethods() {
        return Stream.of(
                new Reinforce(0.5, 200, 16, 0.1, KlEstimator.K1),
                new Reinforce(0.5, 200, 16, 0.1, KlEstimator.K3),
                new Rloo(0.5, 200, 8, 4, 0.1, KlEstimator.K1),
                new SftFiltered(5_000, 0.5, SftFiltered.Fit.EM, 100, 0.5, 32),
                new SftFiltered(5_000, 0.5, SftFiltered.Fit.SGD, 100, 0.5, 32),
                new Dpo(2_000, 0.1, 5.0, 100, 32),
                new BestOfN(4, 2_000, 100));
    }

    /** The trajectory as a list of (step, weight bits, scalar bits): equal lists mean bitwise-equal runs. */
    private static List<String> trajectory(Method method, long seed) {
        Problem problem = Fixtures.variedProblem();
        Recorder recorder = new Recorder(problem, 25, null);
        method.run(problem, seed, recorder);
        return recorder.points().stream().map(p -> p.step() + " " + bits(p.weights()) + " " + bits(p.scalars())).toList();
    }

    private static String bits(double[] values) {
        return Arrays.toString(Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray());
    }

    private static String bits(Map<String, Double> scalars) {
        StringBuilder s = new StringBuilder();
        scalars.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append(e.getKey()).append('=').append(Double.doubleToRawLongBits(e.getValue())).append(';'));
        return s.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampledMethods")
    void sameSeedSameTrajectory(Method method) {
        List<String> first = trajectory(method, 2024);
        assertEquals(first, trajectory(method, 2024), method.name() + " is not a function of its seed");
        assertFalse(first.equals(trajectory(method, 2025)), method.name() + " ignores its seed");
    }
}
