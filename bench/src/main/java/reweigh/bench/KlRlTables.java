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
 * response, the β grid, and the exact engine's w*(β) to check against. One number a line, in blocks each headed by
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
        }
    }

    private static void block(PrintWriter out, String name, double[] values, int... dims) {
        out.println(name + " " + String.join(" ", Arrays.stream(dims).mapToObj(Integer::toString).toList()));
        for (double v : values) out.println(String.format(Locale.ROOT, "%.17g", v));
    }
}
