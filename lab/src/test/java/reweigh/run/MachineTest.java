package reweigh.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The processor's name and widest vectors, which the network's numbers depend on, are recorded with each run. */
class MachineTest {
    @Test
    void theWidestVectorsAreThoseEveryKernelOfThatWidthNeeds() {
        assertEquals("avx512", Machine.widest(List.of("sse2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq")));
        assertEquals("avx2", Machine.widest(List.of("sse2", "avx", "avx2", "fma", "avx512f")), "AVX-512 foundation alone is not ATen's avx512");
        assertEquals("avx", Machine.widest(List.of("sse2", "avx", "avx2")), "AVX2 without FMA is not ATen's avx2");
        assertEquals("sse", Machine.widest(List.of("fpu", "sse2")));
        assertEquals("unknown", Machine.widest(List.of()));
    }

    @Test
    void aRunsProvenanceNamesItsProcessor() throws Exception {
        var p = reweigh.spec.Yaml.JSON.readTree(Provenance.json(1, "h", java.time.Instant.EPOCH, java.time.Instant.EPOCH,
                reweigh.spec.Yaml.JSON.createObjectNode()));
        assertEquals(Machine.cpu(), p.get("os").get("cpu").asText());
        assertFalse(p.get("os").get("vectors").asText().isEmpty());
    }
}
