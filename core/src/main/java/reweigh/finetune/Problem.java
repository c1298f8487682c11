package reweigh.finetune;

import reweigh.evaluate.Evaluator;
import reweigh.measure.Mixture;
import reweigh.measure.Policy;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.ContextSet;

/**
 * A fine-tuning problem on the exact engine, compiled into tables: the population's policies and the
 * expected reward on the rewarded (observed training) contexts.
 */
public final class Problem {
    public final Population population;
    public final ContextSet train;
    public final Evaluator evaluator;
    final int algorithms;            // K
    final double[][][] pi;           // (K, X, R) pi_a(y | x_i)
    final double[][] reward;         // (X, R) E[r | x_i, y]
    final double[][] base;           // (X, R) pi_w0(y | x_i)

    public Problem(Population population, ContextSet train, Evaluator evaluator) {
        this.population = population;
        this.train = train;
        this.evaluator = evaluator;
        this.algorithms = population.size();
        int contexts = train.size();
        this.pi = new double[algorithms][contexts][];
        this.reward = new double[contexts][Response.COUNT];
        for (int x = 0; x < contexts; x++) {
            for (int a = 0; a < algorithms; a++) pi[a][x] = population.get(a).algorithm().respond(train.get(x)).vector();
            for (Response y : Response.all()) reward[x][y.index()] = evaluator.expected(train.get(x), y);
        }
        this.base = mixtureTable(population.priors());
    }

    /** R_a = E_{x~train} E_{y~pi_a(.|x)} r(x, y), for each algorithm. */
    public double[] returns() {
        double[] returns = new double[algorithms];
        // Each R_a adds its contexts in order and each context's responses in order (the bits of one algorithm at a
        // time), four algorithms at once: their sums are independent, and four chains of additions in registers
        // keep the processor's adders busy where one chain waits on each addition in turn.
        for (int x = 0; x < train.size(); x++) {
            double[] r = reward[x];
            double p = train.probability(x);
            int a = 0;
            for (; a + 4 <= algorithms; a += 4) {
                double[] q0 = pi[a][x], q1 = pi[a + 1][x], q2 = pi[a + 2][x], q3 = pi[a + 3][x];
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int y = 0; y < Response.COUNT; y++) {
                    double ry = r[y];
                    s0 += q0[y] * ry;
                    s1 += q1[y] * ry;
                    s2 += q2[y] * ry;
                    s3 += q3[y] * ry;
                }
                returns[a] += p * s0;
                returns[a + 1] += p * s1;
                returns[a + 2] += p * s2;
                returns[a + 3] += p * s3;
            }
            for (; a < algorithms; a++) {
                double[] q = pi[a][x];
                double sum = 0;
                for (int y = 0; y < Response.COUNT; y++) sum += q[y] * r[y];
                returns[a] += p * sum;
            }
        }
        return returns;
    }

    /** pi_w(y | x_i) for every training context: (X, R). */
    double[][] mixtureTable(double[] weights) {
        double[][] mix = new double[train.size()][Response.COUNT];
        for (int a = 0; a < algorithms; a++) {
            if (weights[a] == 0) continue;
            for (int x = 0; x < mix.length; x++) {
                for (int y = 0; y < Response.COUNT; y++) mix[x][y] += weights[a] * pi[a][x][y];
            }
        }
        return mix;
    }

    /** pi_w(y | x_i) for one training context: (R). */
    double[] mixture(double[] weights, int x) {
        double[] mix = new double[Response.COUNT];
        for (int a = 0; a < algorithms; a++) {
            if (weights[a] == 0) continue;
            for (int y = 0; y < Response.COUNT; y++) mix[y] += weights[a] * pi[a][x][y];
        }
        return mix;
    }

    /** A policy's response distribution on every training context: (X, R). */
    double[][] table(Policy policy) {
        double[][] t = new double[train.size()][];
        for (int x = 0; x < t.length; x++) t[x] = policy.respond(train.get(x));
        return t;
    }

    /** E_{x~train} E_{y~policy} r(x, y). */
    public double expectedReward(Policy policy) { return expectedReward(table(policy)); }

    /** The same, from a policy's (X, R) table on the training contexts. */
    double expectedReward(double[][] policy) {
        double total = 0;
        for (int x = 0; x < train.size(); x++) {
            double sum = 0;
            for (int y = 0; y < Response.COUNT; y++) sum += policy[x][y] * reward[x][y];
            total += train.probability(x) * sum;
        }
        return total;
    }

    /** E_{x~train} KL(policy(.|x) || base(.|x)) in nats: the exact KL to the base model on training contexts. */
    public double klToBase(Policy policy) { return klToBase(table(policy)); }

    /** The same, from a policy's (X, R) table on the training contexts. */
    double klToBase(double[][] policy) {
        double total = 0;
        for (int x = 0; x < train.size(); x++) {
            double sum = 0;
            for (int y = 0; y < Response.COUNT; y++) {
                double p = policy[x][y];
                if (p > 0) sum += p * Math.log(p / base[x][y]);
            }
            total += train.probability(x) * sum;
        }
        return total;
    }

    public Mixture mixture(double[] weights) { return new Mixture(population, weights); }

    /**
     * The exact expected update of {@link Reinforce} and {@link Rloo} at logits theta: the expectation over
     * x ~ train and y ~ pi_w of (r - beta * kl(y)) * d log pi_w(y|x) / d theta, with the KL estimator given.
     */
    public double[] expectedPolicyGradient(double[] theta, double beta, KlEstimator kl) {
        double[] w = Logits.softmax(theta);
        double[][] mix = mixtureTable(w);
        double[] g = new double[algorithms];
        for (int x = 0; x < train.size(); x++) {
            for (int y = 0; y < Response.COUNT; y++) {
                double p = mix[x][y];
                if (p == 0) continue;
                double shaped = reward[x][y] - beta * kl.estimate(p, base[x][y]);
                Logits.addLogLikelihoodGradient(w, pi, x, y, p, train.probability(x) * p * shaped, g);
            }
        }
        return g;
    }

    /** J(theta) = E_x [ E_{y~pi_w} r - beta KL(pi_w(.|x) || pi_w0(.|x)) ]: the objective whose gradient k1 estimates. */
    public double regularisedReward(double[] theta, double beta) {
        Mixture m = mixture(Logits.softmax(theta));
        return expectedReward(m) - beta * klToBase(m);
    }
}
