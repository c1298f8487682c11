package reweigh.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one way knobs are turned: every combination, the last key fastest. */
class ProductTest {
    @Test
    void everyCombinationTheLastKeyFastest() {
        Map<String, List<Integer>> knobs = new LinkedHashMap<>();
        knobs.put("a", List.of(1, 2));
        knobs.put("b", List.of(10, 20, 30));
        List<Map<String, Integer>> combos = Spec.Sweep.product(knobs);
        assertEquals(6, combos.size());
        assertEquals(Map.of("a", 1, "b", 10), combos.get(0));
        assertEquals(Map.of("a", 1, "b", 20), combos.get(1));
        assertEquals(Map.of("a", 2, "b", 10), combos.get(3));
        assertEquals(List.of("a", "b"), List.copyOf(combos.get(5).keySet()), "keys in the order given");
    }

    @Test
    void noKnobsIsOneEmptyCombination() {
        assertEquals(List.of(Map.of()), Spec.Sweep.product(Map.<String, List<Integer>>of()));
    }
}
