package reweigh.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The on-disk format of models and checkpoints: big-endian {@link DataOutputStream} fields.
 *
 * <pre>
 * file    := "RWGH" version:int body
 * config  := vocabSize contextLength dModel heads layers mlpRatio:int dropout:double positions:UTF
 * tensors := count:int { name:UTF dtype:UTF("float32"|"float64") rank:int dims:long* values }
 * </pre>
 *
 * Values are stored bit for bit, so a loaded run continues exactly where the saved one stopped.
 * Version 1 had no {@code positions}; its files are refused (pretraining's cache keys changed with it).
 */
final class TensorFile {
    private static final int MAGIC = 0x52574748; // "RWGH"
    private static final int VERSION = 2;

    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private TensorFile() {}

    /** Writes to a temporary file beside {@code file}, then renames it into place atomically. */
    static void writeAtomically(Path file, Writer body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                body.write(out);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static <T> T read(Path file, Reader<T> body) throws IOException {
        try (DataInputStream in = new DataInputStream(
                new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a reweigh model or checkpoint file");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " has format version " + version + "; this build reads " + VERSION);
            }
            return body.read(in);
        } catch (java.io.EOFException e) {
            throw new IOException(file + " is truncated: it ends before its last tensor", e);
        }
    }

    static void writeConfig(DataOutputStream out, Transformer c) throws IOException {
        for (int v : new int[] {c.vocabSize(), c.contextLength(), c.dModel(), c.heads(), c.layers(), c.mlpRatio()}) {
            out.writeInt(v);
        }
        out.writeDouble(c.dropout());
        out.writeUTF(c.positions().toString());
    }

    static Transformer readConfig(DataInputStream in) throws IOException {
        Transformer c = new Transformer(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                in.readInt(), in.readDouble());
        String positions = in.readUTF();
        for (Transformer.Positions p : Transformer.Positions.values()) {
            if (p.toString().equals(positions)) return c.withPositions(p);
        }
        throw new IOException("unknown positions '" + positions + "' in a model file; this build knows learned and rotary");
    }

    static void writeTensors(DataOutputStream out, Map<String, NDArray> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray array = e.getValue();
            out.writeUTF(e.getKey());
            Shape shape = array.getShape();
            out.writeUTF(array.getDataType() == DataType.FLOAT64 ? "float64" : "float32");
            out.writeInt(shape.dimension());
            for (long dim : shape.getShape()) {
                out.writeLong(dim);
            }
            if (array.getDataType() == DataType.FLOAT64) {
                double[] values = array.toDoubleArray();
                ByteBuffer bytes = ByteBuffer.allocate(values.length * 8);
                bytes.asDoubleBuffer().put(values);
                out.write(bytes.array());
            } else if (array.getDataType() == DataType.FLOAT32) {
                float[] values = array.toFloatArray();
                ByteBuffer bytes = ByteBuffer.allocate(values.length * 4);
                bytes.asFloatBuffer().put(values);
                out.write(bytes.array());
            } else {
                throw new IllegalArgumentException(e.getKey() + ": only float32 and float64 can be saved, got "
                        + array.getDataType());
            }
        }
    }

    /** Tensors in file order, created in {@code manager}. */
    static Map<String, NDArray> readTensors(DataInputStream in, NDManager manager) throws IOException {
        int count = in.readInt();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            String dtype = in.readUTF();
            long[] dims = new long[in.readInt()];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = in.readLong();
            }
            Shape shape = new Shape(dims);
            int size = Math.toIntExact(shape.size());
            switch (dtype) {
                case "float64" -> {
                    byte[] bytes = new byte[size * 8];
                    in.readFully(bytes);
                    double[] values = new double[size];
                    ByteBuffer.wrap(bytes).asDoubleBuffer().get(values);
                    tensors.put(name, manager.create(values, shape));
                }
                case "float32" -> {
                    byte[] bytes = new byte[size * 4];
                    in.readFully(bytes);
                    float[] values = new float[size];
                    ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
                    tensors.put(name, manager.create(values, shape));
                }
                default -> throw new IOException("tensor " + name + " has unknown dtype " + dtype);
            }
        }
        return tensors;
    }
}
