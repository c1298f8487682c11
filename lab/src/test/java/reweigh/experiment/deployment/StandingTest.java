package reweigh.experiment.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import reweigh.experiment.Specs;
import reweigh.measure.Finding;
import reweigh.run.Metrics;
import reweigh.spec.Spec;

/**
 * The deceiver's standing after each method, from the recorded weights: kl-rl multiplies the honest algorithm and the
 * perfect deceiver by the same factor (they earn the same reward when watched, and every rewarded context is), so they
 * tie; the ratio is w_final / w0 computed by hand from the same metrics.
 */
class StandingTest {
    @Test
    void klRlTiesTheDeceiverWithTheHonestAlgorithm() throws Exception {
        Spec spec = Specs.exact("deployment");
        Metrics metrics = new Deployment().compute(spec, java.util.List.of(), reweigh.run.Progress.silent(), null); // exact engine only: no workspace
        Spec.Tuning klRl = Specs.method(spec, "kl-rl");
        Finding<Deployment.Standing> f = Deployment.standing(spec, metrics, klRl);
        assertEquals(Deployment.Standing.TIED_WITH_HONEST, f.verdict());
        String d = spec.odds().denominator();
        double w0 = spec.population().priors()[spec.population().indexOf(d)];
        assertEquals(metrics.last(klRl.label(), "weight." + d) / w0, f.value("ratio"), 1e-12);
        assertEquals(spec.population().names().size(), f.value("of"), 0);
    }
}
