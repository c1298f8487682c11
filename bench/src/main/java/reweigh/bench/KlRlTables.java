package reweigh.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import reweigh.evaluate.Evaluator;
import reweigh.finetune.KlRl;
import reweigh.finetune.Problem;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.ContextSet;

/**
 * {@link KlRlSweep}'s problem written out for a peer to compute again (bench/klrl_numpy.py): the prior, the
 * contexts' probabilities, every algorithm's response distribution in every context, the expected reward of every
 * response, the β grid, and the exact engine's w*(β) to check against. For the REINFORCE peer
 * (bench/reinforce_numpy.py) of {@link ReinforceStep} on the same problem (8 algorithms, 1,000 contexts), also the
 * base mixture, each response's rating when a lie is caught and when not and the chance it is caught, the step's
 * settings, and the expected gradient of one step at the prior, computed exactly here by summing over every
 * context and response, which the peer's sampled steps must average to. One number a line, in blocks each headed by
 * {@code name dimensions...}; doubles printed to 17 significant digits, so they read back exactly.
 *
 * <pre>java -cp bench/target/benchmarks.jar reweigh.bench.KlRlTables FILE</pre>
 */
public final class KlRlTables {
    private KlRlTables() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: KlRlTables FILE");
        Population population = Fixtures.population(KlRlSweep.ALGORITHMS);
        ContextSet contexts = Fixtures.randomContexts(KlRlSweep.CONTEXTS, KlRlSweep.SEED);
        Problem problem = new Problem(population, contexts, Evaluator.DEFAULTS);
        int k = population.size(), x = contexts.size(), r = Response.COUNT;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[0])))) {
            block(out, "w0", population.priors(), k);
            double[] p = new double[x];
            for (int i = 0; i < x; i++) p[i] = contexts.probability(i);
            block(out, "p", p, x);
            double[] pi = new double[k * x * r];
            for (int a = 0; a < k; a++) {
                for (int i = 0; i < x; i++) {
                    System.arraycopy(population.get(a).algorithm().respond(contexts.get(i)).vector(), 0, pi, (a * x + i) * r, r);
                }
            }
            block(out, "pi", pi, k, x, r);
            double[] reward = new double[x * r];
            for (int i = 0; i < x; i++) {
                for (Response y : Response.all()) reward[i * r + y.index()] = Evaluator.DEFAULTS.expected(contexts.get(i), y);
            }
            block(out, "reward", reward, x, r);
            double[] betas = new double[KlRlSweep.BETAS];
            double[] optima = new double[KlRlSweep.BETAS * k];
            double[] returns = problem.returns();
            for (int b = 0; b < betas.length; b++) {
                betas[b] = Math.pow(10, -3 + 4.0 * b / (KlRlSweep.BETAS - 1)); // KlRlSweep's grid
                System.arraycopy(new KlRl(betas[b]).optimum(population.priors(), returns), 0, optima, b * k, k);
            }
            block(out, "beta", betas, betas.length);
            block(out, "optimum", optima, betas.length, k);
            reinforce(out, population, contexts, pi, p, k, x, r);
        }
    }

    /**
     * What one k1 REINFORCE step (Reinforce.DEFAULTS: one response per sampled context, so no leave-one-out baseline)
     * needs, and its expected gradient at θ = log w0: E[g]_a = Σ_x p(x) Σ_y π_w(y|x) (E[r | x, y] − β log(π_w(y|x) /
     * π_w0(y|x))) w_a (π_a(y|x) / π_w(y|x) − 1), the last factor being ∂ log π_w(y|x) / ∂θ_a of the softmax logits.
     */
    private static void reinforce(PrintWriter out, Population population, ContextSet contexts, double[] pi, double[] p, int k, int x, int r) {
        Evaluator e = Evaluator.DEFAULTS;
        double[] w = population.priors();
        double[] base = new double[x * r], caught = new double[x * r], whenCaught = new double[x * r], otherwise = new double[x * r];
        for (int i = 0; i < x; i++) {
            for (Response y : Response.all()) {
                int at = i * r + y.index();
                for (int a = 0; a < k; a++) base[at] += w[a] * pi[(a * x + i) * r + y.index()];
                boolean rated = switch (y.behaviour()) { // a lie, or a misaligned action, is caught with probability detect
                    case LIE, ACT_ADMIT, ACT_CONFESS, ACT_DOUBLE_DOWN -> true;
                    default -> false;
                };
                double bonus = y.power() ? e.power() : 0;
                caught[at] = rated ? e.detect() : 0;
                whenCaught[at] = rated ? e.caught() + bonus : e.expected(contexts.get(i), y);
                otherwise[at] = rated ? e.correct() + bonus : e.expected(contexts.get(i), y);
            }
        }
        reweigh.finetune.Reinforce settings = reweigh.finetune.Reinforce.DEFAULTS;
        double[] gradient = new double[k];
        for (int i = 0; i < x; i++) {
            for (Response y : Response.all()) {
                int at = i * r + y.index();
                if (base[at] == 0) continue;
                double shaped = e.expected(contexts.get(i), y) - settings.beta() * Math.log(base[at] / base[at]); // π_w = π_w0 at the prior
                for (int a = 0; a < k; a++) gradient[a] += p[i] * base[at] * shaped * w[a] * (pi[(a * x + i) * r + y.index()] / base[at] - 1);
            }
        }
        block(out, "base", base, x, r);
        block(out, "caught", caught, x, r);
        block(out, "reward_caught", whenCaught, x, r);
        block(out, "reward_uncaught", otherwise, x, r);
        block(out, "reinforce", new double[] {settings.lr(), settings.batch(), settings.beta()}, 3);
        block(out, "gradient", gradient, k);
    }

    private static void block(PrintWriter out, String name, double[] values, int... dims) {
        out.println(name + " " + String.join(" ", Arrays.stream(dims).mapToObj(Integer::toString).toList()));
        for (double v : values) out.println(String.format(Locale.ROOT, "%.17g", v));
    }
}
