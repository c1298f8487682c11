package reweigh.neural;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one place that knows we run on DJL's PyTorch engine on the CPU.
 *
 * <p>Run with {@code DJL_OFFLINE=true}: the native library comes from the
 * {@code pytorch-native-cpu} jar, so nothing is downloaded and no telemetry is sent.
 */
public final class Djl {
    public static final String ENGINE = "PyTorch";

    private Djl() {}

    public static Engine engine() {
        return Engine.getEngine(ENGINE);
    }

    /** A root manager on the CPU; close it when done. */
    public static NDManager newManager() {
        return NDManager.newBaseManager(Device.cpu(), ENGINE);
    }

    /**
     * Sets PyTorch's intra-op thread count for the whole process. One thread makes every run
     * bitwise reproducible; more are faster.
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        engine(); // loads the native library
        JniUtils.setNumThreads(threads);
    }

    public static int threads() {
        engine();
        return JniUtils.getNumThreads();
    }

    /** The value of a one-element array, whatever its floating type. */
    static double scalar(NDArray array) {
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray()[0];
        }
        return array.toFloatArray()[0];
    }
}
