package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The index's one line per experiment: whole sentences, as many as reach about 120 characters. */
class IndexTest {
    @Test
    void leadKeepsWholeSentencesAndDoesNotSplitNumbers() {
        String shortFirst = "The log-odds start at 1.1. They stay there exactly (|Δ| < 1e-9) under kl-rl[beta=0.1], replicator and "
                + "sft-filtered[fit=em]. They move under reinforce +3.6 nats.";
        assertEquals("The log-odds start at 1.1. They stay there exactly (|Δ| < 1e-9) under kl-rl[beta=0.1], replicator and "
                + "sft-filtered[fit=em].", Main.lead(shortFirst));
        String one = "Power-seeking is reinforced only when the base holds it and it earns reward: with a power-seeker and power +0.5, "
                + "its weight rises. On the network it rose too.";
        assertEquals(one.substring(0, one.indexOf(" On the network")), Main.lead(one));
        assertEquals("No sentence end", Main.lead("No sentence end"));
    }
}
