package reweigh.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reweigh.world.Check;

/** An experiment's own settings: the spec key named after it, typed, defaulted and checked like every other key. */
class ExperimentSettingsTest {
    /** Settings as an experiment declares them: a record of its keys, checked in the compact constructor. */
    public record Shots(List<Integer> shots, double threshold) {
        public static final Shots DEFAULTS = new Shots(List.of(0, 1, 2), 0.5);
        public Shots {
            shots = List.copyOf(shots);
            Check.probability("threshold", threshold);
        }
    }

    static final SpecReader READER = new SpecReader(Set.of("odds-ratio", "shots"), Map.of("shots", Shots.DEFAULTS));

    static final String SPEC = """
            experiment: %s
            population:
              honest: {kind: honest, weight: 0.5}
              deceiver: {kind: deceiver, weight: 0.5}
            finetune: [{method: kl-rl}]
            %s
            """;

    static Spec read(String experiment, String extra, String... overrides) throws SpecError {
        Source s = Source.parse("s.yaml", SPEC.formatted(experiment, extra));
        for (String o : overrides) s = s.with("--set", o);
        return READER.resolve(s);
    }

    @Test
    void absentSettingsAreTheDefaultsAndAreWrittenIntoTheResolvedSpec() throws SpecError {
        Spec spec = read("shots", "");
        assertEquals(Shots.DEFAULTS, spec.settings(Shots.class));
        assertEquals(0.5, spec.resolved().get("shots").get("threshold").asDouble());
        assertEquals(3, spec.resolved().get("shots").get("shots").size());
    }

    @Test
    void givenKeysOverrideTheDefaultsInTheFileAndOnTheCommandLine() throws SpecError {
        assertEquals(new Shots(List.of(0, 4), 0.5), read("shots", "shots: {shots: [0, 4]}").settings(Shots.class));
        assertEquals(new Shots(List.of(0, 1, 2), 0.9), read("shots", "", "shots.threshold=0.9").settings(Shots.class));
    }

    @Test
    void aBadValueNamesTheFileLineAndKey() {
        SpecError e = assertThrows(SpecError.class, () -> read("shots", "shots: {threshold: 2}"));
        assertEquals("s.yaml:6: shots.threshold: must be a probability in [0, 1] (got 2.0)", e.getMessage());
    }

    @Test
    void anUnknownKeyListsTheAllowedOnes() {
        SpecError e = assertThrows(SpecError.class, () -> read("shots", "shots: {treshold: 0.2}"));
        assertTrue(e.getMessage().startsWith("s.yaml:6: shots.treshold: unknown key for experiment shots; allowed: shots, threshold"),
                e.getMessage());
    }

    @Test
    void anotherExperimentsSettingsAreRefusedByName() {
        SpecError e = assertThrows(SpecError.class, () -> read("odds-ratio", "shots: {threshold: 0.2}"));
        assertTrue(e.getMessage().startsWith("s.yaml:6: shots: settings of experiment shots, but this spec runs odds-ratio"),
                e.getMessage());
    }
}
