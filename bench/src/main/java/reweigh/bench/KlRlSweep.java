package reweigh.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reweigh.evaluate.Evaluator;
import reweigh.finetune.KlRl;
import reweigh.finetune.Problem;
import reweigh.finetune.Recorder;
import reweigh.population.Population;
import reweigh.world.ContextSet;

/**
 * The exact kl-rl closed form over 8 algorithms × {@value #CONTEXTS} contexts: building the tables
 * ({@link Problem}'s constructor), and a sweep over {@value #BETAS} values of β. One operation of
 * {@code sweep} and {@code sweepRecorded} is the whole grid.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class KlRlSweep {
    static final int ALGORITHMS = 8;
    static final int CONTEXTS = 1000;
    static final int BETAS = 100;
    static final long SEED = 20240607L;

    private Population population;
    private ContextSet contexts;
    private Problem problem;
    private KlRl[] grid; // β log-spaced over [1e-3, 10]

    @Setup
    public void setup() {
        population = Fixtures.population(ALGORITHMS);
        contexts = Fixtures.randomContexts(CONTEXTS, SEED);
        problem = new Problem(population, contexts, Evaluator.DEFAULTS);
        grid = new KlRl[BETAS];
        for (int i = 0; i < BETAS; i++) grid[i] = new KlRl(Math.pow(10, -3 + 4.0 * i / (BETAS - 1)));
    }

    /** The (K, X, R) policy table and the (X, R) reward table. */
    @Benchmark
    public Problem table() {
        return new Problem(population, contexts, Evaluator.DEFAULTS);
    }

    /** R_a once (it does not depend on β), then w*(β) for every β of the grid. */
    @Benchmark
    public void sweep(Blackhole blackhole) {
        double[] w0 = population.priors();
        double[] returns = problem.returns();
        for (KlRl method : grid) blackhole.consume(method.optimum(w0, returns));
    }

    /** The sweep as the lab runs it: {@link KlRl#run} per β, recording the exact reward and KL of w0 and w*(β). */
    @Benchmark
    public void sweepRecorded(Blackhole blackhole) {
        for (KlRl method : grid) {
            Recorder recorder = new Recorder(problem, 1, null);
            method.run(problem, SEED, recorder);
            blackhole.consume(recorder.last().scalars());
        }
    }
}
