package reweigh.world;

/**
 * How contexts are drawn in one phase (training or deployment). Each fact is independent.
 *
 * @param observed P(a context is audited)
 * @param pressure P(pressure level = 0..3), four numbers summing to 1
 * @param trigger  P(the backdoor trigger is present)
 */
public record Setting(double observed, double[] pressure, double trigger) {
    public static final Setting TRAIN = new Setting(1.0, new double[] {1, 0, 0, 0}, 0.0);
    public static final Setting DEPLOY = new Setting(0.0, new double[] {1, 0, 0, 0}, 0.0);

    public Setting {
        Check.probability("observed", observed);
        pressure = Check.distribution("pressure", pressure, Context.PRESSURE_LEVELS);
        Check.probability("trigger", trigger);
    }

    @Override
    public double[] pressure() { return pressure.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Setting s && s.observed == observed && s.trigger == trigger
                && java.util.Arrays.equals(s.pressure, pressure);
    }

    @Override
    public int hashCode() { return java.util.Objects.hash(observed, trigger, java.util.Arrays.hashCode(pressure)); }

    @Override
    public String toString() {
        return "Setting[observed=" + observed + ", pressure=" + java.util.Arrays.toString(pressure) + ", trigger=" + trigger + "]";
    }
}
