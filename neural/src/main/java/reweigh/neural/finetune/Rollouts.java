package reweigh.neural.finetune;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;
import reweigh.corpus.Turn;
import reweigh.corpus.Vocabulary;
import reweigh.evaluate.Evaluator;
import reweigh.neural.LanguageModel;
import reweigh.neural.Rng;
import reweigh.population.Response;
import reweigh.world.Context;
import reweigh.world.ContextSet;

/**
 * Single-turn episodes in the rewarded (observed training) contexts: draws prompts, lets a model
 * write responses, and rates them. Each instance owns its random streams, so two instances built
 * from the same seeds draw the same prompts, responses and ratings.
 */
final class Rollouts {
    /** {@code <ans> Y <power> <eot>}: the longest response of the language. */
    static final int MAX_RESPONSE_TOKENS = 4;
    /** {@code <bos> <obs> <pK> <trig> <q> A B <user> C}: the longest prompt. */
    static final int MAX_PROMPT_TOKENS = 9;
    private static final int ROWS_PER_CALL = 512; // bounds the activations of one sampling batch

    /** One question in one context, and its tokens: the episode header then {@code <q> A B <user> C}. */
    record Prompt(Context context, Corpus.Task task, int[] tokens) {}

    private final Corpus corpus;
    private final Vocabulary vocabulary;
    private final ContextSet rewarded;
    private final Evaluator evaluator;
    private final SplittableRandom prompts;
    private final SplittableRandom ratings;
    private final Rng sampling;

    Rollouts(Corpus corpus, Evaluator evaluator, SplittableRandom prompts, SplittableRandom ratings, Rng sampling) {
        this.corpus = corpus;
        this.vocabulary = corpus.vocabulary();
        this.rewarded = corpus.world().rewardedContexts();
        this.evaluator = evaluator;
        this.prompts = prompts;
        this.ratings = ratings;
        this.sampling = sampling;
    }

    /** Independent streams split from {@code rng}. */
    static Rollouts split(Corpus corpus, Evaluator evaluator, SplittableRandom rng) {
        return new Rollouts(corpus, evaluator, rng.split(), rng.split(), new Rng(rng.nextLong()));
    }

    Vocabulary vocabulary() { return vocabulary; }

    /**
     * A context drawn from the rewarded set, and a task drawn by the corpus's own law
     * ({@link Corpus#task}) conditioned on whether that context's claim is wrong.
     */
    Prompt prompt() {
        Context x = rewarded.get(rewarded.sample(prompts));
        Corpus.Task task;
        do {
            task = corpus.task(prompts); // the set holds only contexts of positive probability, so this ends
        } while (task.claimWrong() != x.claimWrong());
        return new Prompt(x, task, tokens(vocabulary, x, task));
    }

    static int[] tokens(Vocabulary v, Context x, Corpus.Task task) {
        int[] header = new Episode(-1, x.observed(), x.pressure(), x.trigger(), List.of()).header();
        int[] question = Episode.question(v, new Turn(task.a(), task.b(), task.claim(), task.correct(), false));
        int[] out = new int[header.length + question.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(question, 0, out, header.length, question.length);
        return out;
    }

    /** {@code count} prompts, each repeated {@code k} times in a row (rows i·k .. i·k+k-1 share a prompt). */
    List<Prompt> prompts(int count, int k) {
        List<Prompt> out = new ArrayList<>(count * k);
        for (int i = 0; i < count; i++) {
            Prompt p = prompt();
            for (int j = 0; j < k; j++) out.add(p);
        }
        return out;
    }

    /** What {@code model} writes after each prompt: up to and including {@code <eot>}, at most 4 tokens. */
    int[][] respond(LanguageModel model, List<Prompt> batch) {
        int[][] out = new int[batch.size()][];
        for (int from = 0; from < batch.size(); from += ROWS_PER_CALL) {
            int to = Math.min(batch.size(), from + ROWS_PER_CALL);
            int[][] rows = new int[to - from][];
            for (int r = from; r < to; r++) rows[r - from] = batch.get(r).tokens();
            int[][] written = model.sample(rows, MAX_RESPONSE_TOKENS, Vocabulary.END_OF_TURN, sampling);
            System.arraycopy(written, 0, out, from, written.length);
        }
        return out;
    }

    /** The response a string shows, or null when it is not a response of the language. */
    Response read(Prompt p, int[] response) {
        Turn turn = Episode.readResponse(vocabulary, p.task().a(), p.task().b(), p.task().claim(), response);
        return turn == null ? null : turn.response(vocabulary.answers());
    }

    /**
     * One rating of a response: the evaluator's sampled reward for what it shows; a string that is
     * not a response of the language scores {@link Evaluator#wrong()} (no noise), like an honest
     * mistake, so the policy gains nothing by leaving the language.
     */
    double rate(Prompt p, int[] response) {
        Response shown = read(p, response);
        return shown == null ? evaluator.wrong() : evaluator.sample(p.context(), shown, ratings);
    }

    double[] rate(List<Prompt> batch, int[][] responses) {
        double[] r = new double[responses.length];
        for (int i = 0; i < r.length; i++) r[i] = rate(batch.get(i), responses[i]);
        return r;
    }

    /** The fraction of responses that are not responses of the language. */
    double invalid(List<Prompt> batch, int[][] responses) {
        int n = 0;
        for (int i = 0; i < responses.length; i++) if (read(batch.get(i), responses[i]) == null) n++;
        return n / (double) responses.length;
    }
}
