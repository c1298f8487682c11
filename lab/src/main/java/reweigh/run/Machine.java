package reweigh.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The processor a run computed on, as far as the network's numbers depend on it. One PyTorch thread gives the same
 * network byte for byte on one machine, but libtorch picks its kernels by processor: ATen's vectorised loops by the
 * widest instruction set it finds (AVX-512 or AVX2 here), and MKL's matrix products by vendor as well. Two machines
 * that differ there train other networks from the same seeds: another draw, which replicates should survive.
 */
public final class Machine {
    private Machine() {}

    /** The processor's model name (Linux's /proc/cpuinfo), or the JVM's architecture where that cannot be read. */
    public static String cpu() {
        for (String line : cpuinfo()) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
        }
        return System.getProperty("os.arch");
    }

    /** The widest x86 vector instructions the processor reports: avx512, avx2, avx, sse, or "unknown". */
    public static String vectors() {
        for (String line : cpuinfo()) {
            if (!line.startsWith("flags")) continue;
            List<String> flags = List.of(line.substring(line.indexOf(':') + 1).strip().split("\\s+"));
            return widest(flags);
        }
        return "unknown";
    }

    static String widest(List<String> flags) {
        if (flags.containsAll(List.of("avx512f", "avx512bw", "avx512vl", "avx512dq"))) return "avx512";
        if (flags.contains("avx2") && flags.contains("fma")) return "avx2";
        if (flags.contains("avx")) return "avx";
        return flags.stream().anyMatch(f -> f.toLowerCase(Locale.ROOT).startsWith("sse")) ? "sse" : "unknown";
    }

    /** "AMD EPYC, avx512": what a reader needs to know whether their machine draws the same networks. */
    public static String describe() {
        return cpu() + ", " + vectors();
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | SecurityException notLinux) {
            return List.of();
        }
    }
}
