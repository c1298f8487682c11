package reweigh.neural.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.finetune.KlEstimator;
import reweigh.finetune.Method;
import reweigh.neural.finetune.NetworkMethod.BestOfN;
import reweigh.neural.finetune.NetworkMethod.Dpo;
import reweigh.neural.finetune.NetworkMethod.Ppo;
import reweigh.neural.finetune.NetworkMethod.Reinforce;
import reweigh.neural.finetune.NetworkMethod.Rloo;
import reweigh.neural.finetune.NetworkMethod.SftFiltered;
import reweigh.world.Check;

class NetworkMethodTest {

    @Test
    void namesAreTheExactEnginesAndDefaultsAreValid() {
        new Rloo(1, 1, 2, 0.1, 0, KlEstimator.K3); // a record initialised first must not empty the table
        for (NetworkMethod.Kind kind : NetworkMethod.kinds().values()) {
            assertEquals(kind.name(), kind.defaults().name());
            boolean neuralOnly = kind.name().equals("ppo"); // DESIGN.md: ppo has no exact-engine form
            assertTrue(neuralOnly || Method.kinds().containsKey(kind.name()), kind.name() + " is an exact-engine method too");
        }
        assertEquals(6, NetworkMethod.kinds().size());
        assertEquals(KlEstimator.K3, new Rloo(1, 1, 2, 0.1, 0, KlEstimator.K3).reportedKl());
        assertEquals(KlEstimator.K1, Dpo.DEFAULTS.reportedKl(), "no estimator in the loss: k1 is reported");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("samples", (Supplier<?>) () -> new SftFiltered(0, 0.5, 1, 1e-3, 8)),
                Arguments.of("accept", (Supplier<?>) () -> new SftFiltered(8, Double.NaN, 1, 1e-3, 8)),
                Arguments.of("epochs", (Supplier<?>) () -> new SftFiltered(8, 0.5, 0, 1e-3, 8)),
                Arguments.of("lr", (Supplier<?>) () -> new Reinforce(1, 8, 0, 0.1, KlEstimator.K1)),
                Arguments.of("lr", (Supplier<?>) () -> new Reinforce(1, 8, 2, 0.1, KlEstimator.K1)),
                Arguments.of("beta", (Supplier<?>) () -> new Reinforce(1, 8, 1e-3, -0.1, KlEstimator.K1)),
                Arguments.of("kl", (Supplier<?>) () -> new Reinforce(1, 8, 1e-3, 0.1, null)),
                Arguments.of("steps", (Supplier<?>) () -> new Rloo(0, 8, 2, 1e-3, 0.1, KlEstimator.K1)),
                Arguments.of("k", (Supplier<?>) () -> new Rloo(1, 8, 1, 1e-3, 0.1, KlEstimator.K1)),
                Arguments.of("clip", (Supplier<?>) () -> new Ppo(1, 8, 1e-3, 0.1, KlEstimator.K1, 1.5, 1)),
                Arguments.of("epochs", (Supplier<?>) () -> new Ppo(1, 8, 1e-3, 0.1, KlEstimator.K1, 0.2, 0)),
                Arguments.of("beta", (Supplier<?>) () -> new Dpo(8, 0, 1e-3, 1, 8)),
                Arguments.of("pairs", (Supplier<?>) () -> new Dpo(0, 0.1, 1e-3, 1, 8)),
                Arguments.of("n", (Supplier<?>) () -> new BestOfN(0, 8, 1, 1e-3, 8)),
                Arguments.of("batch", (Supplier<?>) () -> new BestOfN(2, 8, 1, 1e-3, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidParametersNameTheField(String field, Supplier<?> build) {
        Check.InvalidParameter e = assertThrows(Check.InvalidParameter.class, build::get);
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + " must be "), e.getMessage());
    }
}
