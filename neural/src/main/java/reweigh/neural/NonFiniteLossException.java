package reweigh.neural;

/** Training met a NaN or infinite loss or gradient; the parameters were not updated by that step. */
public final class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteLossException(String message) {
        super(message);
    }
}
