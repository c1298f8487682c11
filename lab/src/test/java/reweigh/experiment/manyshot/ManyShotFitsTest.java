package reweigh.experiment.manyshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reweigh.measure.DecayFit;
import reweigh.measure.ShotCurve;
import reweigh.report.Html;

/** How many-shot's fits read in its table and its prose. */
class ManyShotFitsTest {
    static final int[] SHOTS = {0, 1, 2, 3, 4, 6, 8};

    static ShotCurve curve(double[] nll) {
        double[] p = java.util.Arrays.stream(nll).map(v -> Math.exp(-v)).toArray();
        DecayFit[] fits = ShotCurve.fits(SHOTS, nll);
        return new ShotCurve(SHOTS, p, nll, null, null, fits[0], fits[1], null, Double.NaN);
    }

    static ManyShot.Model model(String label, ShotCurve lie) { return new ManyShot.Model(label, label, Map.of("lie", lie)); }

    /**
     * Issue 16: a curve that drops to its floor at the first shot drives α to the end of its search range (10);
     * the table marks it "at bound" and the prose does not quote it as an exponent that moved.
     */
    @Test
    void aRateAtItsBoundIsMarkedAndNotQuotedAsAnExponent() {
        double[] smooth = new double[SHOTS.length], step = new double[SHOTS.length];
        for (int i = 0; i < SHOTS.length; i++) {
            smooth[i] = 1.5 * Math.pow(Math.max(SHOTS[i], 1), -0.5) + 0.1;
            step[i] = SHOTS[i] <= 1 ? 2 : 0.2;
        }
        ShotCurve measured = curve(smooth), stuck = curve(step);
        assertFalse(measured.power().rateAtBound());
        assertTrue(stuck.power().rateAtBound(), "α " + stuck.power().rate());
        List<ManyShot.Model> models = List.of(model("base", measured), model("tuned", stuck));

        assertEquals(ManyShotFindings.Fit.AT_BOUND, ManyShotFindings.fit(measured, stuck).verdict());
        assertEquals(1, ManyShotFindings.fit(measured, stuck).value("boundTuned"));
        assertEquals(ManyShotFindings.Fit.NEITHER, ManyShotFindings.fit(measured, measured).verdict());
        String prose = ManyShotFindings.interceptOrExponent(models, "test");
        assertTrue(prose.contains("the exponent is at the fit's bound, so not a measured one to compare, for lie (C 1.5 → "), prose);
        assertTrue(prose.contains("; α 10 in tuned)"), prose);
        assertFalse(prose.contains("α 0.5 → 10"), prose);
        assertFalse(prose.contains("the exponent only") || prose.contains("both for") || prose.contains("neither for"), prose);

        Html html = new Html("t");
        ManyShotFigures.fitTable(html, new ManyShot.Settings(List.of("lie"), List.of(0, 1, 2, 3, 4, 6, 8), 8, 2, 0, 0.5, 10),
                models, List.of(), List.of(), "95% bootstrap intervals over prompts");
        String page = html.render();
        assertTrue(page.contains("<td>10 at bound</td>"), page);
        assertTrue(page.contains("<td>0.5</td>"), "a measured α is not marked");
    }

    /** A geometric decay and a power law, each fitted: the shape is as predicted only when the mixture's is the one and the continuum's the other. */
    @Test
    void theShapeIsAsPredictedWhenTheMixtureDecaysGeometricallyAndTheContinuumAsAPowerLaw() {
        double[] geometric = new double[SHOTS.length], power = new double[SHOTS.length];
        for (int i = 0; i < SHOTS.length; i++) {
            geometric[i] = 1.2 * Math.pow(0.4, SHOTS[i]) + 0.1;
            power[i] = 1.5 * Math.pow(Math.max(SHOTS[i], 1), -0.5) + 0.1;
        }
        ShotCurve mixture = curve(geometric), continuum = curve(power);
        assertEquals(DecayFit.Form.EXPONENTIAL, mixture.better().form());
        assertEquals(DecayFit.Form.POWER, continuum.better().form());
        var asPredicted = ManyShotFindings.shape(List.of(model("base", mixture)), List.of(model("base", continuum)));
        assertEquals(ManyShotFindings.Shape.AS_PREDICTED, asPredicted.verdict());
        assertEquals(1, asPredicted.value("total"));
        var swapped = ManyShotFindings.shape(List.of(model("base", continuum)), List.of(model("base", mixture)));
        assertEquals(ManyShotFindings.Shape.NOT_AS_PREDICTED, swapped.verdict());
        assertEquals(0, swapped.value("exponential"));
    }
}
