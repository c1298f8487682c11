package reweigh.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reweigh.neural.pretrain.NeuralSettings;

/** {@code neural.from}: the base a spec's base continues from, read, defaulted and written back into the resolved spec. */
class ContinuedBaseSpecTest {
    static final SpecReader READER = new SpecReader(Set.of("odds-ratio"), Map.of());

    static final String SPEC = """
            experiment: odds-ratio
            population:
              honest: {kind: honest, weight: 0.5}
              deceiver: {kind: deceiver, weight: 0.5}
            finetune: [{method: kl-rl}]
            engine: [exact, neural]
            neural:
              from: {population: {h: {kind: honest, weight: 0.7}, g: {kind: guesser, weight: 0.3}}}
              base: {steps: 500, warmup: 20, trigger: 0.3}
            """;

    static Spec read(String text, String... overrides) throws SpecError {
        Source s = Source.parse("s.yaml", text);
        for (String o : overrides) s = s.with("--set", o);
        return READER.resolve(s);
    }

    @Test
    void theParentsSettingsAreTheDefaultsWhereUnsetAndTheChildKeepsItsOwn() throws SpecError {
        Spec spec = read(SPEC);
        Spec.From from = spec.neural().from();
        assertEquals(2, from.population().size());
        assertEquals(0.7, from.population().get(0).prior(), 1e-12);
        assertEquals(NeuralSettings.DEFAULTS, from.base());
        assertEquals(500, spec.neural().base().steps());
        assertEquals(0.3, spec.neural().base().trigger());
        assertEquals(700, read(SPEC, "neural.from.base.steps=700").neural().from().base().steps());
        assertNull(read(SPEC.replace("  from: {population: {h: {kind: honest, weight: 0.7}, g: {kind: guesser, weight: 0.3}}}\n", ""))
                .neural().from());
    }

    /** A run folder's spec.yaml holds the parent in full, so running it again continues from the same base. */
    @Test
    void theResolvedSpecReadsBackToTheSameParent() throws SpecError {
        Spec spec = read(SPEC);
        assertEquals(1500, spec.resolved().get("neural").get("from").get("base").get("steps").asInt());
        Spec again = READER.resolve(Source.parse("spec.yaml", spec.resolved().toString()));
        assertEquals(spec.neural().from(), again.neural().from());
        assertEquals(spec.neural(), again.neural());
    }
}
