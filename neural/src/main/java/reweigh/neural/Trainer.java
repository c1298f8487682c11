package reweigh.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains a {@link LanguageModel} one batch at a time with AdamW, a warm-up + cosine schedule and
 * global gradient-norm clipping. Each step runs in its own closed scope, so memory stays flat.
 *
 * <p>Deterministic from its seed: on one PyTorch thread ({@link Djl#setThreads}) a run saved with
 * {@link #save} and {@link #resume resumed} produces bit for bit the losses of an uninterrupted run.
 * The trainer's {@link #rng()} seeds dropout; callers may draw their batches from it too, so that
 * the checkpoint captures that stream as well.
 */
public final class Trainer implements AutoCloseable {
    static final String CHECKPOINT_FILE = "checkpoint.bin";

    /** What one update did. */
    public record Step(int step, double loss, double learningRate, double gradNorm) {}

    private final LanguageModel model;
    private final boolean ownsModel;
    private final TrainingSettings settings;
    private final AdamW optimizer;
    private final Rng rng;

    public Trainer(LanguageModel model, TrainingSettings settings, long seed) {
        this(model, false, settings, new Rng(seed));
    }

    private Trainer(LanguageModel model, boolean ownsModel, TrainingSettings settings, Rng rng) {
        this.model = model;
        this.ownsModel = ownsModel;
        this.settings = settings;
        this.rng = rng;
        this.optimizer = new AdamW(model.parameters(), AdamW.matrices(model.parameters()), settings.adam());
    }

    /**
     * One AdamW update on the batch's masked next-token loss.
     *
     * @throws NonFiniteLossException if the loss or the gradient norm is NaN or infinite (the
     *     parameters are left as they were; the trainer should not be used further)
     */
    public Step step(Batch batch) {
        return step(scope -> model.loss(scope, batch, Hooks.none(), true));
    }

    /**
     * One AdamW update on a custom scalar loss (fine-tuning objectives), with the same schedule,
     * clipping and non-finite checks as {@link #step(Batch)}. {@code objective} builds the scalar
     * loss in the scope it is given, from the model's parameters, under gradient recording.
     */
    public Step step(Function<NDManager, NDArray> objective) {
        int step = optimizer.steps();
        double lr = settings.schedule().rate(step);
        if (model.config().dropout() > 0) {
            Djl.engine().setRandomSeed(rng.nextInt(Integer.MAX_VALUE));
        }
        Map<String, NDArray> parameters = model.parameters();
        try (NDManager scope = model.newScope(); NDScope temporaries = new NDScope()) {
            temporaries.suppressNotUsedWarning();
            double loss;
            try (Djl.Gradients collector = new Djl.Gradients()) {
                NDArray lossArray = objective.apply(scope);
                loss = Djl.scalar(lossArray);
                if (!Double.isFinite(loss)) {
                    throw new NonFiniteLossException("loss is " + loss + " at step " + step + " (learning rate "
                            + lr + "); lower the learning rate or check the data");
                }
                collector.backward(lossArray);
            }
            Map<String, NDArray> gradients = new LinkedHashMap<>();
            double sumOfSquares = 0;
            List<String> nonFinite = new ArrayList<>();
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray g = e.getValue().getGradient(); // a handle on p.grad, closed with the NDScope
                gradients.put(e.getKey(), g);
                double squares = Djl.scalar(g.square().sum());
                if (!Double.isFinite(squares)) {
                    nonFinite.add(e.getKey());
                }
                sumOfSquares += squares;
            }
            double gradNorm = Math.sqrt(sumOfSquares);
            if (!Double.isFinite(gradNorm)) {
                zero(gradients);
                throw new NonFiniteLossException("gradient norm is " + gradNorm + " at step " + step
                        + " (loss " + loss + ", learning rate " + lr + "); non-finite gradients: " + nonFinite);
            }
            double clip = settings.maxGradNorm() / (gradNorm + 1e-6);
            if (clip < 1) {
                gradients.values().forEach(g -> g.muli(clip));
            }
            optimizer.step(gradients, lr);
            zero(gradients);
            return new Step(step, loss, lr, gradNorm);
        }
    }

    private static void zero(Map<String, NDArray> gradients) {
        gradients.values().forEach(g -> g.muli(0));
    }

    /** Updates taken so far; the next {@link #step} is this 0-based step. */
    public int steps() {
        return optimizer.steps();
    }

    public LanguageModel model() {
        return model;
    }

    public TrainingSettings settings() {
        return settings;
    }

    /** The trainer's random stream (saved in checkpoints). */
    public Rng rng() {
        return rng;
    }

    /**
     * Writes weights, AdamW moments, step count, settings and RNG state to
     * {@code directory/checkpoint.bin}, through a temporary file renamed into place atomically.
     */
    public void save(Path directory) throws IOException {
        Transformer config = model.config();
        TensorFile.writeAtomically(directory.resolve(CHECKPOINT_FILE), out -> {
            TensorFile.writeConfig(out, config);
            LearningRateSchedule s = settings.schedule();
            out.writeDouble(s.peak());
            out.writeDouble(s.min());
            out.writeInt(s.warmupSteps());
            out.writeInt(s.totalSteps());
            AdamW.Settings a = settings.adam();
            out.writeDouble(a.beta1());
            out.writeDouble(a.beta2());
            out.writeDouble(a.epsilon());
            out.writeDouble(a.weightDecay());
            out.writeDouble(settings.maxGradNorm());
            out.writeInt(optimizer.steps());
            out.writeLong(rng.state());
            TensorFile.writeTensors(out, model.parameters());
            try (NDScope views = new NDScope()) {
                views.suppressNotUsedWarning();
                TensorFile.writeTensors(out, optimizer.firstMoment());
                TensorFile.writeTensors(out, optimizer.secondMoment());
            }
        });
    }

    /** A trainer (owning its model) that continues exactly where {@link #save} stopped. */
    public static Trainer resume(Path directory, NDManager parent) throws IOException {
        return TensorFile.read(directory.resolve(CHECKPOINT_FILE), in -> {
            Transformer config = TensorFile.readConfig(in);
            LearningRateSchedule schedule = new LearningRateSchedule(
                    in.readDouble(), in.readDouble(), in.readInt(), in.readInt());
            AdamW.Settings adam = new AdamW.Settings(in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readDouble());
            TrainingSettings settings = new TrainingSettings(schedule, adam, in.readDouble());
            int steps = in.readInt();
            Rng rng = new Rng(in.readLong());
            try (NDManager staging = parent.newSubManager()) {
                LanguageModel model = LanguageModel.fromParameters(config, TensorFile.readTensors(in, staging), parent);
                Trainer trainer = new Trainer(model, true, settings, rng);
                trainer.optimizer.restore(steps, TensorFile.readTensors(in, staging),
                        TensorFile.readTensors(in, staging));
                return trainer;
            }
        });
    }

    /** Frees the optimiser state, and the model if this trainer was resumed from a checkpoint. */
    @Override
    public void close() {
        optimizer.close();
        if (ownsModel) {
            model.close();
        }
    }
}
