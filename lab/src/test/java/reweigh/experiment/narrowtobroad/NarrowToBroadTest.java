package reweigh.experiment.narrowtobroad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.experiment.Specs;
import reweigh.experiment.Tuner;
import reweigh.measure.Finding;
import reweigh.run.Metrics;
import reweigh.spec.Spec;

/**
 * The three exact predictions on the shipped spec. Tilting moves watched agreement and nothing unwatched. Reweighting
 * keeps the villain's odds against the sycophant (the two are rewarded alike), and the unwatched lie rate moves by
 * exactly Δw_villain + Δw_guesser / M, computed here from the recorded weights (only the villain lies unwatched, and the
 * guesser names the lie's number 1 time in M); the replicator's fixed point is the same spread. Without the gated writer,
 * reweighting spreads further.
 */
class NarrowToBroadTest {
    @Test
    void tiltingStaysNarrowAndReweightingSpreadsByTheVillainsWeight() throws Exception {
        Spec spec = Specs.exact("narrow-to-broad");
        Metrics m = new NarrowToBroad().compute(spec, List.of(), reweigh.run.Progress.silent(), null);
        Finding<NarrowToBroad.Spread> tilt = NarrowToBroad.spread(m, Specs.method(spec, "tilt").label(), Tuner.BASE);
        assertEquals(NarrowToBroad.Spread.STAYED_NARROW, tilt.verdict());
        assertTrue(tilt.value("inside") > 0.1, "tilting raises the rewarded behaviour where it is rewarded");

        String klRl = Specs.method(spec, "kl-rl").label();
        Finding<NarrowToBroad.Spread> reweighting = NarrowToBroad.spread(m, klRl, Tuner.BASE);
        assertEquals(NarrowToBroad.Spread.WITH, reweighting.verdict());
        double[] w0 = spec.population().priors(), w = Tuner.lastWeights(spec, m, klRl);
        int villain = spec.population().indexOf("villain"), sycophant = spec.population().indexOf("sycophant"),
                guesser = spec.population().indexOf("guesser");
        assertEquals(Math.log(w0[villain] / w0[sycophant]), Math.log(w[villain] / w[sycophant]), Tuner.INVARIANT, "reweighting keeps their odds");
        double expected = (w[villain] - w0[villain]) + (w[guesser] - w0[guesser]) / spec.world().answers();
        assertEquals(expected, reweighting.value("lie"), 1e-12);

        Finding<NarrowToBroad.Spread> replicator = NarrowToBroad.spread(m, Specs.method(spec, "replicator").label(), Tuner.BASE);
        assertEquals(reweighting.value("spread"), replicator.value("spread"), 0.01, "the replicator runs to kl-rl's fixed point");

        Finding<NarrowToBroad.Spread> without = NarrowToBroad.spread(m, klRl + NarrowToBroad.WITHOUT_GATED, klRl + NarrowToBroad.WITHOUT_GATED);
        assertTrue(without.value("spread") > reweighting.value("spread"), "the gated writer takes a share: " + without.value("spread"));
    }
}
