package reweigh.neural;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
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

    /**
     * Records the autograd graph on the calling thread until closed, and back-propagates a loss. It stands
     * for DJL's {@code GradientCollector}, which allows one in the whole process: PyTorch's grad mode is
     * per thread, so with this, networks (e.g. replicates) train side by side on their own threads. The
     * arithmetic is the collector's: grad mode on, then {@code backward(loss, ones)}. Closing turns grad
     * mode off, whatever it was: outside these blocks nothing here records a graph, and the optimiser's
     * in-place updates of the parameters need it off (PyTorch's default on a fresh thread is on).
     */
    public static final class Gradients implements AutoCloseable {
        public Gradients() {
            engine();
            JniUtils.setGradMode(true);
        }

        public void backward(NDArray loss) {
            NDArray ones = loss.getManager().ones(loss.getShape(), loss.getDataType()).toDevice(loss.getDevice(), false);
            JniUtils.backward((PtNDArray) loss, (PtNDArray) ones, false, false);
        }

        @Override
        public void close() {
            JniUtils.setGradMode(false);
        }
    }

    /** Turns off graph recording on the calling thread (a new thread of PyTorch's records by default). */
    public static void noGradients() {
        engine();
        JniUtils.setGradMode(false);
    }

    /** The value of a one-element array, whatever its floating type. */
    static double scalar(NDArray array) {
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray()[0];
        }
        return array.toFloatArray()[0];
    }
}
