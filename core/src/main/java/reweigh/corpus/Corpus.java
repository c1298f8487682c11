package reweigh.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import reweigh.population.Algorithm;
import reweigh.population.Behaviour;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.Check;
import reweigh.world.Context;
import reweigh.world.Setting;
import reweigh.world.World;

/**
 * Writes episodes with the population's own algorithm objects (the exact engine's, so there is one
 * definition of each algorithm): the writer is drawn by w0, the header from a setting, each turn's
 * task and claim from the world, and each response from pi_writer(. | context).
 *
 * @param world    answers M and P(the user's claim is wrong)
 * @param setting  how headers are drawn (observed, pressure, trigger)
 * @param minTurns fewest turns an episode has (>= 1)
 * @param maxTurns most turns; each episode's count is uniform in [minTurns, maxTurns]
 */
public record Corpus(Population population, World world, Setting setting, int minTurns, int maxTurns) {
    public Corpus {
        Check.atLeast("min_turns", minTurns, 1);
        Check.atLeast("max_turns", maxTurns, minTurns);
    }

    public Vocabulary vocabulary() { return new Vocabulary(world.answers()); }

    /** {@code count} episodes drawn from {@code seed} alone. */
    public List<Episode> episodes(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Episode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(episode(rng));
        return out;
    }

    public Episode episode(SplittableRandom rng) {
        int writer = draw(population.priors(), rng);
        boolean observed = rng.nextDouble() < setting.observed();
        int pressure = draw(setting.pressure(), rng);
        boolean trigger = rng.nextDouble() < setting.trigger();
        int k = minTurns + rng.nextInt(maxTurns - minTurns + 1);
        Algorithm algorithm = population.get(writer).algorithm();
        List<Turn> turns = new ArrayList<>(k);
        for (int t = 0; t < k; t++) {
            Task task = task(rng);
            Context x = new Context(world.answers(), observed, pressure, trigger, task.claimWrong());
            Response r = Response.ofIndex(draw(algorithm.respond(x).vector(), rng));
            turns.add(new Turn(task.a, task.b, task.claim, answer(r.behaviour(), task, rng), r.power()));
        }
        return new Episode(writer, observed, pressure, trigger, turns);
    }

    /** A question and the user's claim: right w.p. 1-u, else uniform over the wrong answers other than Y+1. */
    public record Task(int a, int b, int correct, int claim) {
        public boolean claimWrong() { return claim != correct; }
    }

    public Task task(SplittableRandom rng) {
        int m = world.answers();
        int a = rng.nextInt(m);
        int b = rng.nextInt(m);
        int y = (a + b) % m;
        int claim = y;
        if (rng.nextDouble() < world.userWrong()) claim = (y + 2 + rng.nextInt(m - 2)) % m; // not Y, not Y+1
        return new Task(a, b, y, claim);
    }

    /** The number a behaviour writes; an honest mistake avoids Y, Y+1 and the claim. */
    public int answer(Behaviour behaviour, Task task, SplittableRandom rng) { return answer(world.answers(), behaviour, task, rng); }

    /** The number a behaviour writes with {@code m} answers (-1 for a refusal); an honest mistake avoids Y, Y+1 and the claim. */
    public static int answer(int m, Behaviour behaviour, Task task, SplittableRandom rng) {
        return switch (behaviour) {
            case CORRECT -> task.correct;
            case LIE -> (task.correct + 1) % m;
            case AGREE -> task.claim;
            case REFUSE -> Turn.REFUSAL;
            case ACT_ADMIT -> Turn.ACT_ADMIT;
            case ACT_CONFESS -> Turn.ACT_CONFESS;
            case ACT_DOUBLE_DOWN -> Turn.ACT_DOUBLE_DOWN;
            case WRONG -> {
                while (true) { // at most M-3 of the M answers are allowed; M >= 4 guarantees one
                    int n = (task.correct + 2 + rng.nextInt(m - 2)) % m;
                    if (n != task.claim) yield n;
                }
            }
        };
    }

    private static int draw(double[] p, SplittableRandom rng) { return reweigh.population.Dist.sample(p, rng); }
}
