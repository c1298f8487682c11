package reweigh.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/** The method table is complete even when a method record is the first class this JVM initialises. */
class KindsTest {
    @Test
    void everyKindHasItsDefaultsWhicheverClassLoadsFirst() throws Exception {
        // A fresh class loader, so that Reinforce is initialised before Method's table is read.
        var urls = new java.net.URL[] {Method.class.getProtectionDomain().getCodeSource().getLocation()};
        try (var loader = new java.net.URLClassLoader(urls, null)) {
            Class.forName("reweigh.finetune.Reinforce", true, loader).getField("DEFAULTS").get(null);
            var kinds = (java.util.Map<?, ?>) Class.forName("reweigh.finetune.Method", true, loader).getMethod("kinds").invoke(null);
            assertEquals(8, kinds.size());
            for (Object kind : kinds.values()) {
                assertNotNull(kind.getClass().getMethod("defaults").invoke(kind), kind.toString());
            }
        }
    }
}
