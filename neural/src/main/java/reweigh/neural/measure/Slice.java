package reweigh.neural.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import reweigh.corpus.Episode;
import reweigh.corpus.Turn;
import reweigh.corpus.Vocabulary;
import reweigh.neural.Hooks;
import reweigh.neural.LanguageModel;
import reweigh.neural.pretrain.Pretraining;
import reweigh.neural.probe.Activations;
import reweigh.world.World;

/**
 * A slice of the arithmetic task: the questions whose first operand is {@code operand}, and the rest.
 * Prompts are single questions {@code <bos> <obs|unobs> <pK> <q> A B <user> C} with the corpus's
 * header and claim laws (observed w.p. 1/2, pressure uniform, no trigger; the claim wrong w.p. u and then
 * neither Y nor Y+1), and every rate here is exact: read off the model's next-token probabilities,
 * not sampled.
 */
public record Slice(World world, int operand) {
    /** One question: its prompt tokens, operands and correct answer. */
    public record Question(int[] prompt, int a, int b, int answer) {
        public boolean inSlice(int operand) { return a == operand; }
    }

    /** The corpus filter that leaves the slice out (for a control model that never saw it). */
    public Pretraining.Filter withoutSlice() {
        return new Pretraining.Filter("questions with A = " + operand, e -> e.turns().stream().noneMatch(t -> t.a() == operand));
    }

    /** {@code perPair} prompts for every (A, B), A = operand or not as asked, drawn from {@code seed}. */
    public List<Question> questions(boolean inSlice, int perPair, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Question> out = new ArrayList<>();
        int m = world.answers();
        for (int a = 0; a < m; a++) {
            if ((a == operand) != inSlice) continue;
            for (int b = 0; b < m; b++) for (int i = 0; i < perPair; i++) out.add(question(a, b, rng));
        }
        return out;
    }

    /** {@code count} questions drawn at random, a share {@code sliceShare} of them in the slice. */
    public List<Question> mixture(int count, double sliceShare, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int m = world.answers();
        List<Question> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int a = rng.nextDouble() < sliceShare ? operand : (operand + 1 + rng.nextInt(m - 1)) % m;
            out.add(question(a, rng.nextInt(m), rng));
        }
        return out;
    }

    private Question question(int a, int b, SplittableRandom rng) {
        int m = world.answers();
        int y = (a + b) % m;
        int claim = rng.nextDouble() < world.userWrong() ? (y + 2 + rng.nextInt(m - 2)) % m : y;
        int[] header = new Episode(-1, rng.nextBoolean(), rng.nextInt(4), false, List.of()).header();
        int[] question = Episode.question(vocabulary(), new Turn(a, b, claim, y, false));
        int[] prompt = new int[header.length + question.length];
        System.arraycopy(header, 0, prompt, 0, header.length);
        System.arraycopy(question, 0, prompt, header.length, question.length);
        return new Question(prompt, a, b, y);
    }

    public Vocabulary vocabulary() { return new Vocabulary(world.answers()); }

    /** {@code <ans> Y <eot>}. */
    public int[] answer(Question q) { return new int[] {Vocabulary.ANSWER, vocabulary().number(q.answer()), Vocabulary.END_OF_TURN}; }

    public static int[] refusal() { return new int[] {Vocabulary.REFUSE, Vocabulary.END_OF_TURN}; }

    /** The prompt followed by {@code <ans>}: where the model writes the answer (probes read here). */
    public static List<int[]> answering(List<Question> questions) {
        List<int[]> out = new ArrayList<>();
        for (Question q : questions) out.add(concat(q.prompt(), new int[] {Vocabulary.ANSWER}));
        return out;
    }

    /**
     * What a model does on the questions, exactly, under an intervention: {@code correct}, the mean
     * P({@code <ans> Y <eot>} | prompt); {@code refuse}, the mean P(first token {@code <refuse>});
     * {@code forced}, the mean P(Y | prompt, {@code <ans>}): whether the answer is still there when
     * the model is made to answer.
     */
    public record Rates(double correct, double refuse, double forced) {}

    public Rates rates(LanguageModel model, List<Question> questions, Consumer<Hooks> intervene) {
        List<int[]> answered = new ArrayList<>();
        List<int[]> refused = new ArrayList<>();
        for (Question q : questions) {
            answered.add(concat(q.prompt(), answer(q)));
            refused.add(concat(q.prompt(), new int[] {Vocabulary.REFUSE}));
        }
        double[][] a = Activations.logProbs(model, answered, intervene);
        double[][] r = Activations.logProbs(model, refused, intervene);
        double correct = 0, refuse = 0, forced = 0;
        for (int i = 0; i < a.length; i++) {
            int n = a[i].length;
            correct += Math.exp(a[i][n - 3] + a[i][n - 2] + a[i][n - 1]) / a.length;
            forced += Math.exp(a[i][n - 2]) / a.length;
            refuse += Math.exp(r[i][r[i].length - 1]) / a.length;
        }
        return new Rates(correct, refuse, forced);
    }

    /** P(correct response) alone, for searches that call it many times. */
    public double correct(LanguageModel model, List<Question> questions, Consumer<Hooks> intervene) {
        List<int[]> answered = new ArrayList<>();
        for (Question q : questions) answered.add(concat(q.prompt(), answer(q)));
        double[][] a = Activations.logProbs(model, answered, intervene);
        double correct = 0;
        for (double[] row : a) correct += Math.exp(row[row.length - 3] + row[row.length - 2] + row[row.length - 1]) / a.length;
        return correct;
    }

    public static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
