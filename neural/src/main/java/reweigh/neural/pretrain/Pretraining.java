package reweigh.neural.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;
import reweigh.corpus.Vocabulary;
import reweigh.neural.Batch;
import reweigh.neural.Djl;
import reweigh.neural.Hooks;
import reweigh.neural.LanguageModel;
import reweigh.neural.Rng;
import reweigh.neural.Trainer;
import reweigh.population.Population;
import reweigh.world.World;

/**
 * Pretrains the base model: a transformer trained by next-token cross-entropy on the responses of a
 * corpus the population wrote, so that it learns pi(response | header, question, earlier turns).
 *
 * <p>Cached: the weights are a function of the population, the world's answers and user_wrong, the
 * settings and the seed, so they are stored under {@code cacheDir/<key>/model.bin} where {@code key}
 * is the SHA-256 of {@link #description}; experiments that share a base share one pretraining.
 * Resumable: every {@code checkpoint_every} steps the trainer (weights, moments, step, random stream)
 * is saved to {@code cacheDir/<key>.partial/}; a later call resumes from it and, on one thread,
 * finishes bit for bit as an uninterrupted run would.
 */
public final class Pretraining {
    /** Bump when anything that shapes the weights changes (corpus format, loss, batching, seeds). */
    public static final int FORMAT_VERSION = 3; // 2: the vocabulary gained <act> <admit> <deny> (numbers moved up by 3); 3: rows cut to length (Batch#byLength)
    public static final String MODEL_FILE = "model.bin";
    public static final String DESCRIPTION_FILE = "description.txt";
    private static final String CHECKPOINT = "checkpoint.bin"; // what Trainer.save writes
    /** Held-out episodes for the validation loss. */
    static final int VALIDATION_EPISODES = 512;
    private static final int VALIDATION_ROWS = 128; // episodes per forward pass
    private static final int VALIDATIONS = 10; // validation loss every 10% of training
    private static final ConcurrentHashMap<String, Object> IN_PROCESS = new ConcurrentHashMap<>();

    private Pretraining() {}

    /** What pretraining reports as it goes. Every method runs on the training thread. */
    public interface Listener {
        /** After each update: mean masked loss of the batch, training tokens (batch x positions) per second since start. */
        void step(int step, int steps, double loss, double tokensPerSecond);

        /** Mean masked loss on held-out episodes after {@code step} updates. */
        default void validation(int step, int steps, double loss) {}

        /** Training continues from a checkpoint after {@code step} of {@code steps} updates. */
        default void resumed(int step, int steps) {}

        /** The model was found in the cache; nothing was trained. */
        default void cached(Path model) {}

        /** A cached model or checkpoint could not be read ({@code why}): it was moved to {@code aside} and is made again. */
        default void setAside(Path unreadable, Path aside, String why) {}

        Listener NONE = (step, steps, loss, tokensPerSecond) -> {};
    }

    /**
     * Which episodes the corpus keeps: a control model can be pretrained on a corpus that never shows
     * a slice of questions. Episodes are drawn in the usual order and those not kept are skipped, so
     * {@link #EVERY_EPISODE} gives the usual corpus.
     *
     * @param description what is left out, in words; part of the cache key
     */
    public record Filter(String description, java.util.function.Predicate<Episode> keep) {
        public static final Filter EVERY_EPISODE = new Filter("", e -> true);
    }

    /**
     * Another base whose weights pretraining starts from instead of fresh ones (continued pretraining, as
     * a pretrained model is trained further on a new corpus): its cache key, which goes into the new
     * base's description, and its model file.
     */
    public record From(String key, Path model) {
        /** The base {@link #base} would train or load for these inputs, once it is in {@code cacheDir}. */
        public static From base(Population population, World world, NeuralSettings settings, long seed, Path cacheDir) {
            String key = Pretraining.key(population, world, settings, seed);
            return new From(key, cacheDir.resolve(key).resolve(MODEL_FILE));
        }
    }

    /**
     * The pretrained base model, trained now or loaded from the cache. The caller owns (closes) it.
     * Sets PyTorch's process-wide thread count to {@code settings.threads()}.
     */
    public static LanguageModel base(Population population, World world, NeuralSettings settings, long seed,
            Path cacheDir, NDManager manager, Listener listener) throws IOException {
        return base(population, world, settings, seed, Filter.EVERY_EPISODE, cacheDir, manager, listener);
    }

    /** The same, pretrained on the episodes {@code filter} keeps (cached under a key that includes it). */
    public static LanguageModel base(Population population, World world, NeuralSettings settings, long seed, Filter filter,
            Path cacheDir, NDManager manager, Listener listener) throws IOException {
        return base(population, world, settings, seed, filter, null, cacheDir, manager, listener);
    }

    /** The same, its training started from {@code from}'s weights when it is not null (cached under a key that names it). */
    public static LanguageModel base(Population population, World world, NeuralSettings settings, long seed, Filter filter,
            From from, Path cacheDir, NDManager manager, Listener listener) throws IOException {
        String description = description(population, world, settings, seed, filter, from);
        String key = key(description);
        Path dir = cacheDir.resolve(key);
        Path model = dir.resolve(MODEL_FILE);
        Djl.setThreads(settings.threads());
        synchronized (IN_PROCESS.computeIfAbsent(key, k -> new Object())) {
            Files.createDirectories(cacheDir);
            // One process trains a key at a time; others wait, then load what it wrote.
            try (FileChannel channel = FileChannel.open(cacheDir.resolve(key + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (Files.exists(model)) {
                    try {
                        LanguageModel cached = LanguageModel.load(model, manager);
                        listener.cached(model);
                        return cached;
                    } catch (IOException | IllegalArgumentException unreadable) {
                        listener.setAside(model, setAside(dir), why(model, unreadable));
                    }
                }
                writeAtomically(dir.resolve(DESCRIPTION_FILE), description);
                train(population, world, settings, seed, filter, from, partial(cacheDir, key), manager, listener, model);
                reweigh.io.Trees.delete(partial(cacheDir, key));
                return LanguageModel.load(model, manager);
            }
        }
    }

    /** What is wrong with {@code file}, in words that name it. */
    private static String why(Path file, Exception e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith(file.toString()) ? message : file + " cannot be read: " + message;
    }

    /** Moves an unreadable cache entry to {@code <entry>.corrupt-<n>}, kept for a look, and returns where it went. */
    private static Path setAside(Path entry) throws IOException {
        for (int n = 1; ; n++) {
            Path aside = entry.resolveSibling(entry.getFileName() + ".corrupt-" + n);
            if (!Files.exists(aside)) return Files.move(entry, aside);
        }
    }

    /**
     * Everything that determines the weights, one fact per line: format version, each algorithm's
     * class, parameters and prior in population order (names are left out: they change nothing),
     * the world's answers and user_wrong (its train and deploy settings play no part in the corpus),
     * the settings ({@link NeuralSettings#canonical}) and the seed. Algorithms are described by
     * {@code toString}, which a record makes canonical.
     */
    public static String description(Population population, World world, NeuralSettings settings, long seed) {
        StringBuilder s = new StringBuilder("reweigh pretraining format ").append(FORMAT_VERSION).append('\n');
        s.append(writers(population));
        s.append("answers=").append(world.answers()).append("\nuser_wrong=").append(world.userWrong()).append('\n');
        s.append(settings.canonical());
        s.append("seed=").append(seed).append('\n');
        return s.toString();
    }

    /** Whether two populations write the same corpus: the same algorithms, parameters and priors in order, names aside. */
    public static boolean sameWriters(Population a, Population b) { return writers(a).equals(writers(b)); }

    private static String writers(Population population) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < population.size(); i++) {
            Population.Member m = population.get(i);
            s.append("algorithm ").append(i).append(": ").append(m.algorithm().getClass().getName()).append(' ')
                    .append(m.algorithm()).append(" prior=").append(m.prior()).append('\n');
        }
        return s.toString();
    }

    /** The same, for a base trained on the episodes {@code filter} keeps and started from {@code from} (when not null). */
    public static String description(Population population, World world, NeuralSettings settings, long seed, Filter filter, From from) {
        return description(population, world, settings, seed)
                + (filter.description().isEmpty() ? "" : "corpus without " + filter.description() + "\n")
                + (from == null ? "" : "continued from base " + from.key() + "\n");
    }

    /** Where the resumable checkpoint of the base with cache key {@code key} is kept while it trains. */
    public static Path partial(Path cacheDir, String key) { return cacheDir.resolve(key + ".partial"); }

    /** The cache key: SHA-256 of the description, in hex. */
    public static String key(String description) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(description.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The cache key of these inputs. */
    public static String key(Population population, World world, NeuralSettings settings, long seed) {
        return key(description(population, world, settings, seed));
    }

    /** The corpus's episodes, the held-out episodes and the seeds of the model and the trainer, all from {@code seed}. */
    record Seeds(long corpus, long validation, long model, long trainer) {
        static Seeds of(long seed) {
            Rng rng = new Rng(seed);
            return new Seeds(rng.nextLong(), rng.nextLong(), rng.nextLong(), rng.nextLong());
        }
    }

    private static void train(Population population, World world, NeuralSettings settings, long seed, Filter filter, From from,
            Path partial, NDManager manager, Listener listener, Path modelFile) throws IOException {
        Seeds seeds = Seeds.of(seed);
        Corpus corpus = new Corpus(population, world, settings.corpusSetting(), settings.minTurns(), settings.maxTurns());
        Vocabulary vocabulary = corpus.vocabulary();
        List<Episode.Tokens> episodes = tokens(episodes(corpus, filter, settings.episodes(), seeds.corpus()), vocabulary);
        List<Episode.Tokens> heldOut = tokens(episodes(corpus, filter, VALIDATION_EPISODES, seeds.validation()), vocabulary);
        int steps = settings.steps();
        int validateEvery = Math.max(1, steps / VALIDATIONS);

        LanguageModel fresh = null; // a resumed trainer owns its model; a fresh one does not
        Trainer resumable = null;
        if (Files.exists(partial.resolve(CHECKPOINT))) {
            try {
                resumable = Trainer.resume(partial, manager);
            } catch (IOException | IllegalArgumentException unreadable) {
                listener.setAside(partial.resolve(CHECKPOINT), setAside(partial), why(partial.resolve(CHECKPOINT), unreadable));
            }
        }
        if (resumable != null) {
            if (!resumable.model().config().equals(settings.transformer(world.answers()))) {
                resumable.close();
                throw new IOException(partial + " holds a checkpoint of another model; delete it to start again");
            }
            listener.resumed(resumable.steps(), steps);
        } else {
            fresh = from == null ? LanguageModel.initialize(settings.transformer(world.answers()), seeds.model(), DataType.FLOAT32, manager)
                    : LanguageModel.load(from.model(), manager);
            if (!fresh.config().equals(settings.transformer(world.answers()))) {
                fresh.close();
                throw new IllegalArgumentException(from.model() + " is a model of another shape (" + fresh.config()
                        + ") than the base continued from it (" + settings.transformer(world.answers()) + ")");
            }
            resumable = new Trainer(fresh, settings.training(), seeds.trainer());
        }
        try (LanguageModel owned = fresh; Trainer trainer = resumable) {
            LanguageModel model = trainer.model();
            long start = System.nanoTime();
            long tokens = 0;
            while (trainer.steps() < steps) {
                Batch batch = batch(episodes, settings.batch(), trainer.rng());
                Trainer.Step step = trainer.step(batch);
                tokens += (long) batch.size() * (batch.length() - 1);
                int done = step.step() + 1;
                listener.step(done, steps, step.loss(), tokens / ((System.nanoTime() - start) / 1e9));
                if (done % validateEvery == 0 || done == steps) {
                    listener.validation(done, steps, validationLoss(model, heldOut));
                }
                if (done % settings.checkpointEvery() == 0 && done < steps) trainer.save(partial);
            }
            model.save(modelFile);
        }
    }

    /** {@code count} kept episodes, drawn as {@link Corpus#episodes} draws them, skipping those not kept. */
    static List<Episode> episodes(Corpus corpus, Filter filter, int count, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        List<Episode> out = new ArrayList<>(count);
        for (long drawn = 0; out.size() < count; drawn++) {
            if (drawn > 1000L * count) throw new IllegalArgumentException("the filter keeps almost no episode: " + filter.description());
            Episode e = corpus.episode(rng);
            if (filter.keep().test(e)) out.add(e);
        }
        return out;
    }

    static List<Episode.Tokens> tokens(List<Episode> episodes, Vocabulary vocabulary) {
        List<Episode.Tokens> out = new ArrayList<>(episodes.size());
        for (Episode e : episodes) out.add(e.tokens(vocabulary));
        return out;
    }

    /**
     * {@code rows} episodes drawn with replacement by {@code rng}, right-padded with {@code <pad>} to the
     * longest; the loss mask covers the tokens an algorithm chose (responses and {@code <eos>}).
     */
    static Batch batch(List<Episode.Tokens> episodes, int rows, Rng rng) {
        List<Episode.Tokens> chosen = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) chosen.add(episodes.get(rng.nextInt(episodes.size())));
        return pad(chosen);
    }

    static Batch pad(List<Episode.Tokens> episodes) {
        int length = 2;
        for (Episode.Tokens e : episodes) length = Math.max(length, e.tokens().length);
        int[][] tokens = new int[episodes.size()][length]; // (B, T), zeros are <pad>
        float[][] mask = new float[episodes.size()][length]; // (B, T)
        for (int r = 0; r < episodes.size(); r++) {
            Episode.Tokens e = episodes.get(r);
            System.arraycopy(e.tokens(), 0, tokens[r], 0, e.tokens().length);
            for (int t = 0; t < e.responseMask().length; t++) mask[r][t] = e.responseMask()[t];
        }
        return new Batch(tokens, mask);
    }

    /** Mean next-token cross-entropy (nats) over the response tokens of the held-out episodes. */
    public static double validationLoss(LanguageModel model, List<Episode.Tokens> heldOut) {
        double total = 0;
        double weight = 0;
        for (int from = 0; from < heldOut.size(); from += VALIDATION_ROWS) {
            Batch batch = pad(heldOut.subList(from, Math.min(heldOut.size(), from + VALIDATION_ROWS)));
            double predicted = 0;
            for (float[] row : batch.lossMask()) for (int t = 1; t < row.length; t++) predicted += row[t];
            try (NDManager scope = model.newScope()) {
                NDArray loss = model.loss(scope, batch, Hooks.none(), false);
                total += loss.toType(DataType.FLOAT64, false).getDouble() * predicted;
            }
            weight += predicted;
        }
        return total / weight;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
