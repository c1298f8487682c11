package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** narrow-to-broad's bad input: exit 2 with the key and what is allowed, before anything runs. */
class NarrowToBroadCliTest {
    static final String SPEC = "../experiments/narrow-to-broad.yaml";

    @Test
    void theNetworkIsRefusedUntilItsPartIsBuilt() {
        BadInputTest.Result r = BadInputTest.cli("check", SPEC, "--set", "engine=[exact, neural]");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("engine: must be exact: narrow-to-broad's network part is not built yet"), r.err());
    }

    @Test
    void anAgreementBiasThatDoesNotPayForAgreeingIsRefused() {
        BadInputTest.Result r = BadInputTest.cli("check", SPEC, "--set", "evaluator.agreement_bias=0.5");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("evaluator.agreement_bias: must exceed correct − wrong (1.0)"), r.err());
    }

    @Test
    void aPopulationWithoutAVillainIsRefused() {
        BadInputTest.Result r = BadInputTest.cli("check", SPEC, "--set", "population.villain.kind=honest");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("needs an algorithm of kind villain"), r.err());
    }
}
