package reweigh.world;

/** Argument checks for the compact constructors of spec records; each failure names its field. */
public final class Check {
    private Check() {}

    /** A parameter outside its allowed range. {@code field} is the record component's name. */
    public static final class InvalidParameter extends IllegalArgumentException {
        private final String field;
        private final String allowed;

        public InvalidParameter(String field, String allowed, Object got) {
            super(field + " must be " + allowed + " (got " + got + ")");
            this.field = field;
            this.allowed = allowed;
        }

        public String field() { return field; }
        public String allowed() { return allowed; }
    }

    public static double probability(String field, double value) {
        if (!(value >= 0 && value <= 1)) throw new InvalidParameter(field, "a probability in [0, 1]", value);
        return value;
    }

    public static double positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) throw new InvalidParameter(field, "a finite number > 0", value);
        return value;
    }

    public static double nonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) throw new InvalidParameter(field, "a finite number >= 0", value);
        return value;
    }

    public static double finite(String field, double value) {
        if (!Double.isFinite(value)) throw new InvalidParameter(field, "a finite number", value);
        return value;
    }

    public static int atLeast(String field, int value, int min) {
        if (value < min) throw new InvalidParameter(field, "an integer >= " + min, value);
        return value;
    }

    public static double[] distribution(String field, double[] p, int length) {
        if (p == null || p.length != length) {
            throw new InvalidParameter(field, "a list of " + length + " probabilities summing to 1",
                    p == null ? "nothing" : java.util.Arrays.toString(p));
        }
        double sum = 0;
        for (double v : p) {
            if (!(v >= 0)) throw new InvalidParameter(field, "a list of non-negative probabilities", java.util.Arrays.toString(p));
            sum += v;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new InvalidParameter(field, "a list of " + length + " probabilities summing to 1", java.util.Arrays.toString(p));
        }
        return p.clone();
    }
}
