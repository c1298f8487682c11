package reweigh.neural.finetune;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;
import reweigh.corpus.Vocabulary;
import reweigh.neural.AdamW;
import reweigh.neural.Batch;
import reweigh.neural.LanguageModel;
import reweigh.neural.LearningRateSchedule;
import reweigh.neural.Trainer;
import reweigh.neural.TrainingSettings;
import reweigh.neural.Transformer;
import reweigh.population.Catalogue;
import reweigh.population.Population;
import reweigh.world.Setting;
import reweigh.world.World;

/** Worlds, populations and models shared by the fine-tuning tests. */
final class Fixtures {
    private Fixtures() {}

    /** Honest 0.4, perfect deceiver 0.2, sycophant 0.2, guesser 0.2: every kind of response in the base. */
    static Population population() {
        return new Population(List.of(
                new Population.Member("honest", "honest", Catalogue.Honest.DEFAULTS, 0.4),
                new Population.Member("deceiver", "deceiver", Catalogue.Deceiver.DEFAULTS, 0.2),
                new Population.Member("sycophant", "sycophant", Catalogue.Sycophant.DEFAULTS, 0.2),
                new Population.Member("guesser", "guesser", Catalogue.Guesser.DEFAULTS, 0.2)));
    }

    static World world(int answers) {
        return new World(answers, 0.5, Setting.TRAIN, Setting.DEPLOY);
    }

    /** A transformer for a world with {@code answers} answers: contexts of 24 tokens fit two turns. */
    static Transformer shape(int answers, int dModel, int layers) {
        return new Transformer(new Vocabulary(answers).size(), 24, dModel, 2, layers, 4);
    }

    /** A copy of {@code model} through a temporary file, owned by {@code parent}. */
    static LanguageModel copy(LanguageModel model, NDManager parent) {
        try {
            Path file = Files.createTempFile("reweigh-model", ".bin");
            try {
                model.save(file);
                return LanguageModel.load(file, parent);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pre-trains {@code model} in place on episodes of 1-2 turns written by {@code population},
     * half observed, with next-token loss on the tokens the algorithms chose (responses and
     * {@code <eos>}): fine-tuning gives the prompts, so a few hundred steps go to the answers.
     */
    static void pretrain(LanguageModel model, Population population, World world, int steps, int batch, long seed) {
        Setting half = new Setting(0.5, new double[] {1, 0, 0, 0}, 0.0);
        Corpus corpus = new Corpus(population, world, half, 1, 2);
        Vocabulary v = corpus.vocabulary();
        TrainingSettings settings = new TrainingSettings(new LearningRateSchedule(1e-2, 1e-3, steps / 10, steps),
                AdamW.Settings.defaults(), 1.0);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        try (Trainer trainer = new Trainer(model, settings, seed)) {
            for (int s = 0; s < steps; s++) {
                List<Episode> episodes = corpus.episodes(batch, rng.nextLong());
                int longest = 0;
                int[][] rows = new int[batch][];
                int[][] chosen = new int[batch][];
                for (int i = 0; i < batch; i++) {
                    rows[i] = episodes.get(i).tokens(v).tokens();
                    chosen[i] = episodes.get(i).tokens(v).responseMask();
                    longest = Math.max(longest, rows[i].length);
                }
                int[][] tokens = new int[batch][longest];
                float[][] mask = new float[batch][longest];
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(rows[i], 0, tokens[i], 0, rows[i].length);
                    for (int t = 1; t < rows[i].length; t++) mask[i][t] = chosen[i][t];
                }
                trainer.step(new Batch(tokens, mask));
            }
        }
    }

    /**
     * {@code steps} supervised steps of 16 rewarded prompts at learning rate 1e-2 towards responses
     * of the language: the correct answer ({@code correctOnly}), or a uniform answer with a quarter
     * of refusals. Thirty steps make a tiny random model speak the language.
     */
    static void supervise(LanguageModel model, int answers, int steps, boolean correctOnly, long seed) {
        World world = world(answers);
        Vocabulary v = new Vocabulary(answers);
        Rollouts r = Rollouts.split(new Corpus(population(), world, world.train(), 1, 1),
                reweigh.evaluate.Evaluator.DEFAULTS, new java.util.SplittableRandom(seed));
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed + 1);
        try (Trainer trainer = new Trainer(model, Tuning.settings(1e-2), seed + 2)) {
            for (int s = 0; s < steps; s++) {
                List<Rollouts.Prompt> prompts = r.prompts(16, 1);
                int[][] responses = new int[16][];
                for (int i = 0; i < 16; i++) {
                    Corpus.Task t = prompts.get(i).task();
                    int answer = correctOnly ? t.correct() : rng.nextInt(answers);
                    responses[i] = !correctOnly && i % 4 == 0 ? new int[] {Vocabulary.REFUSE, Vocabulary.END_OF_TURN}
                            : new int[] {Vocabulary.ANSWER, v.number(answer), Vocabulary.END_OF_TURN};
                }
                trainer.step(Sequences.supervised(Sequences.tokens(prompts), responses));
            }
        }
    }
}
