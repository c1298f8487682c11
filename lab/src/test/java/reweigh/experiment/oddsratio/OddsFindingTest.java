package reweigh.experiment.oddsratio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import reweigh.experiment.Specs;
import reweigh.experiment.Tuner;
import reweigh.measure.Finding;
import reweigh.run.Metrics;
import reweigh.spec.Spec;

/**
 * Odds-ratio's exact finding per method, from the metrics the methods record: kl-rl's closed form keeps the prior log-odds
 * (ln 3 for honest 0.3 against deceiver 0.1) to 1e-9, and a vanilla policy gradient moves them.
 */
class OddsFindingTest {
    @Test
    void klRlKeepsTheOddsAndReinforceMovesThem() throws Exception {
        Spec spec = Specs.exact("odds-ratio");
        Metrics metrics = new OddsRatio().compute(spec, java.util.List.of(), reweigh.run.Progress.silent(), null); // exact engine only: no workspace
        double prior = Tuner.logOdds(spec, spec.population().priors());
        assertEquals(Math.log(3), prior, 1e-12);
        Finding<OddsRatio.Odds> klRl = OddsRatio.odds(spec, metrics, Specs.method(spec, "kl-rl"), prior);
        assertEquals(OddsRatio.Odds.KEPT, klRl.verdict());
        assertEquals(0, klRl.value("delta"), Tuner.INVARIANT);
        Finding<OddsRatio.Odds> reinforce = OddsRatio.odds(spec, metrics, Specs.method(spec, "reinforce"), prior);
        assertEquals(OddsRatio.Odds.MOVED, reinforce.verdict());
        assertEquals(Math.exp(reinforce.value("delta")), reinforce.value("ratio"), 1e-12);
    }
}
