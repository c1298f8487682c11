package reweigh.corpus;

import java.util.ArrayList;
import java.util.List;
import reweigh.world.Check;
import reweigh.world.Context;

/**
 * The toy language's tokens: 19 specials, then the numbers 0..M-1. An episode reads
 * {@code <bos> <obs|unobs> <pK> [<trig>] ( <q> A B <user> C <ans> Y [<power>] <eot> )×k <eos>},
 * a refusal writes {@code <refuse>} in place of {@code <ans> Y}, and the schemer's misaligned action
 * {@code <act> R1 R2}: its report R1, then its answer when asked again R2, each {@code <admit>} (gives
 * the action's reason) or {@code <deny>} (hides it).
 */
public record Vocabulary(int answers) {
    public static final int PAD = 0, BOS = 1, EOS = 2, OBSERVED = 3, UNOBSERVED = 4, PRESSURE_0 = 5, TRIGGER = 9,
            QUESTION = 10, USER = 11, ANSWER = 12, REFUSE = 13, POWER = 14, END_OF_TURN = 15,
            ACT = 16, ADMIT = 17, DENY = 18, FIRST_NUMBER = 19;
    /** DESIGN.md keeps the vocabulary under 64 tokens. */
    public static final int MAX_SIZE = 64;

    public Vocabulary {
        Check.atLeast("answers", answers, Context.MIN_ANSWERS);
        if (FIRST_NUMBER + answers > MAX_SIZE) {
            throw new Check.InvalidParameter("answers", "at most " + (MAX_SIZE - FIRST_NUMBER) + " (the vocabulary has 64 tokens)", answers);
        }
    }

    public int size() { return FIRST_NUMBER + answers; }

    public int number(int n) {
        if (n < 0 || n >= answers) throw new IllegalArgumentException("no number " + n + " with " + answers + " answers");
        return FIRST_NUMBER + n;
    }

    public boolean isNumber(int token) { return token >= FIRST_NUMBER && token < size(); }

    public int valueOf(int token) { return token - FIRST_NUMBER; }

    public static int pressure(int level) { return PRESSURE_0 + level; }

    private static final String[] SPECIALS = {"<pad>", "<bos>", "<eos>", "<obs>", "<unobs>", "<p0>", "<p1>", "<p2>", "<p3>",
        "<trig>", "<q>", "<user>", "<ans>", "<refuse>", "<power>", "<eot>", "<act>", "<admit>", "<deny>"};

    public String name(int token) {
        if (token >= 0 && token < FIRST_NUMBER) return SPECIALS[token];
        if (isNumber(token)) return Integer.toString(valueOf(token));
        return "<?" + token + ">";
    }

    /** Tokens as text, for reading episodes and error messages. */
    public String render(int[] tokens) {
        List<String> s = new ArrayList<>();
        for (int t : tokens) s.add(name(t));
        return String.join(" ", s);
    }
}
