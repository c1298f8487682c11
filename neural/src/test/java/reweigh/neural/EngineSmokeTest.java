package reweigh.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;
import org.junit.jupiter.api.Test;

/** DJL finds the PyTorch engine from the Maven jars alone, with the network switched off. */
class EngineSmokeTest {

    @Test
    void pyTorchLoadsOfflineFromTheMavenJars() {
        assertTrue(Utils.isOfflineMode(), "tests must run with DJL_OFFLINE=true");
        Engine engine = Engine.getEngine("PyTorch");
        assertEquals("2.7.1", engine.getVersion());
        try (NDManager manager = NDManager.newBaseManager()) {
            var sum = manager.create(new float[] {1, 2}).add(manager.create(new float[] {3, 4}));
            assertArrayEquals(new float[] {4, 6}, sum.toFloatArray());
        }
    }
}
