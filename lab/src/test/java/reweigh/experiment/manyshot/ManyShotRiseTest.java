package reweigh.experiment.manyshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import reweigh.measure.Finding;
import reweigh.measure.ShotCurve;

/** Whether a network's P(b | k) rises with the shots, read off its intervals at the first and last k. */
class ManyShotRiseTest {
    static final int[] SHOTS = {0, 4, 8};

    static ShotCurve curve(double[] p, double halfWidth) {
        double[][] band = new double[p.length][];
        for (int i = 0; i < p.length; i++) band[i] = new double[] {p[i] - halfWidth, p[i] + halfWidth};
        return new ShotCurve(SHOTS, p, java.util.Arrays.stream(p).map(v -> -Math.log(v)).toArray(), band, null, null, null, null, Double.NaN);
    }

    @Test
    void disjointIntervalsRiseOrFallAndOverlappingOnesShowNoClearChange() {
        ShotCurve implied = curve(new double[] {0.2, 0.5, 0.6}, 0);
        Finding<ManyShotNetwork.Rise> up = ManyShotNetwork.rise(curve(new double[] {0.18, 0.25, 0.31}, 0.01), implied);
        assertEquals(ManyShotNetwork.Rise.RISES, up.verdict());
        assertEquals(0.31, up.value("pLast"), 0);
        assertEquals(0.30, up.number("pLast").low(), 1e-12);
        assertEquals(8, up.value("kLast"), 0);
        assertEquals(0.6, up.value("impliedLast"), 0);
        assertEquals(ManyShotNetwork.Rise.FALLS, ManyShotNetwork.rise(curve(new double[] {0.5, 0.4, 0.3}, 0.05), implied).verdict());
        assertEquals(ManyShotNetwork.Rise.NO_CLEAR_CHANGE, ManyShotNetwork.rise(curve(new double[] {0.18, 0.25, 0.31}, 0.07), implied).verdict());
    }
}
