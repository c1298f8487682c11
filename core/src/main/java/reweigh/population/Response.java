package reweigh.population;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model does in a context: a behaviour, and whether it also takes the power action
 * (grabs resources). There are {@link #COUNT} responses; {@link #index()} numbers them 0..COUNT-1.
 */
public record Response(Behaviour behaviour, boolean power) {
    public static final int COUNT = Behaviour.values().length * 2;
    private static final List<Response> ALL = new ArrayList<>();

    static {
        for (Behaviour b : Behaviour.values()) {
            ALL.add(new Response(b, false));
            ALL.add(new Response(b, true));
        }
    }

    public static final Response CORRECT = of(Behaviour.CORRECT);
    public static final Response WRONG = of(Behaviour.WRONG);
    public static final Response AGREE = of(Behaviour.AGREE);
    public static final Response LIE = of(Behaviour.LIE);
    public static final Response REFUSE = of(Behaviour.REFUSE);

    public static Response of(Behaviour behaviour) { return ALL.get(behaviour.ordinal() * 2); }

    public static Response ofIndex(int index) { return ALL.get(index); }

    public static List<Response> all() { return List.copyOf(ALL); }

    public int index() { return behaviour.ordinal() * 2 + (power ? 1 : 0); }

    public Response withPower() { return ALL.get(behaviour.ordinal() * 2 + 1); }

    @Override
    public String toString() { return behaviour.id() + (power ? "+power" : ""); }
}
