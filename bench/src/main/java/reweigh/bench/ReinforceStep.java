package reweigh.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reweigh.evaluate.Evaluator;
import reweigh.finetune.KlEstimator;
import reweigh.finetune.Problem;
import reweigh.finetune.Recorder;
import reweigh.finetune.Reinforce;

/**
 * Sampled REINFORCE steps per second (batch 32, k1): one invocation is a whole {@link Reinforce#run} of
 * {@value #STEPS} steps through the public API, reported per step. The recorder asks for one point, so it
 * records 2 (step 0 and the last), each with the exact reward and KL over the contexts: a fixed cost per run,
 * spread over its steps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ReinforceStep {
    static final int STEPS = 1000;
    static final long SEED = 20240607L;

    @Param({"4", "8"})
    public int algorithms;

    /** "world": the default world's 2 rewarded contexts; "1000": random contexts (each step rebuilds the (X, R) mixture table). */
    @Param({"world", "1000"})
    public String contexts;

    private Problem problem;
    private Reinforce reinforce;

    @Setup
    public void setup() {
        problem = new Problem(Fixtures.population(algorithms), Fixtures.contexts(contexts, SEED), Evaluator.DEFAULTS);
        reinforce = new Reinforce(Reinforce.DEFAULTS.lr(), STEPS, 32, Reinforce.DEFAULTS.beta(), KlEstimator.K1);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public void steps(Blackhole blackhole) {
        Recorder recorder = new Recorder(problem, 1, null);
        reinforce.run(problem, SEED, recorder);
        blackhole.consume(recorder.last().weights());
    }
}
