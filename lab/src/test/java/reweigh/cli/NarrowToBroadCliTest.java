package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** narrow-to-broad's bad input: exit 2 with the key and what is allowed, before anything runs. */
class NarrowToBroadCliTest {
    static final String SPEC = "../experiments/narrow-to-broad.yaml";

    @Test
    void aNetworkWithNoMethodToTuneItIsRefused() {
        BadInputTest.Result r = BadInputTest.cli("check", SPEC, "--set", "finetune=[{method: kl-rl, beta: 0.1}, {method: reinforce, neural: false}]");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("finetune: the network needs a method with a network version (e.g. reinforce)"), r.err());
        assertEquals(0, BadInputTest.cli("check", SPEC, "--set", "finetune=[{method: kl-rl, beta: 0.1}, {method: reinforce, neural: false}]",
                "--set", "engine=exact").code(), "the exact engine needs none");
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
