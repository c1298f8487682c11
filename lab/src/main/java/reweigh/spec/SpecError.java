package reweigh.spec;

/**
 * A spec the lab will not run: where it is (file and line, or the --set that made it), which key, what
 * is wrong and what is allowed. {@link #getMessage()} is the one line a user sees.
 */
public final class SpecError extends Exception {
    private final String where;
    private final String key;
    private final String problem;

    public SpecError(String where, String key, String problem) {
        super(where + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + problem);
        this.where = where;
        this.key = key;
        this.problem = problem;
    }

    public String where() { return where; }
    public String key() { return key; }
    public String problem() { return problem; }
}
