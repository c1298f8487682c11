package reweigh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import reweigh.measure.Finding;
import reweigh.stats.MeanInterval;

/** The template layer fills each placeholder with the finding's number as Fmt writes it, and refuses what it cannot fill. */
class SentencesTest {
    enum Kind { UP }

    static final Finding<Kind> F = Finding.of(Kind.UP).with("ratio", new MeanInterval(3, 0.247, 0.146, 0.42)).with("rate", 0.174)
            .with("seeds", 3).with("alone", 2.5);

    @Test
    void eachFormatIsFmts() {
        assertEquals("0.247 [0.146, 0.42] over 3 seeds", Sentences.fill("{ratio:ci} over {seeds:int} seeds", F));
        assertEquals("×0.247, from 0.146 to 0.42", Sentences.fill("{ratio:times}, from {ratio:low} to {ratio:high}", F));
        assertEquals("17.4% (+0.174)", Sentences.fill("{rate:pct} ({rate:delta})", F));
        assertEquals("24.7% [14.6%, 42%]", Sentences.fill("{ratio:pct-ci}", F));
        assertEquals("2.5", Sentences.fill("{alone:ci}", F), "a number without an interval is written alone");
        assertEquals("no placeholders {}", Sentences.fill("no placeholders {}", F));
    }

    @Test
    void aMissingNumberOrFormatIsNamed() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Sentences.fill("{odds}", F));
        assertTrue(missing.getMessage().contains("no number named odds") && missing.getMessage().contains("ratio"), missing.getMessage());
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class, () -> Sentences.fill("{rate:percent}", F));
        assertTrue(format.getMessage().contains("allowed: num, pct"), format.getMessage());
    }

    @Test
    void aNumberIsNamedOnce() {
        assertThrows(IllegalArgumentException.class, () -> F.with("rate", 0.5));
    }
}
