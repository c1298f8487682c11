package reweigh.corpus;

import java.util.ArrayList;
import java.util.List;
import reweigh.world.Context;

/**
 * A conversation written by one algorithm: a header (observed, pressure, trigger) and k turns.
 * {@code writer} is the index of the algorithm in its population, or -1 when unknown.
 */
public record Episode(int writer, boolean observed, int pressure, boolean trigger, List<Turn> turns) {
    public Episode {
        turns = List.copyOf(turns);
    }

    /** The context of turn {@code i}, as the exact engine sees it. */
    public Context context(int answers, int i) {
        return new Context(answers, observed, pressure, trigger, turns.get(i).claimWrong(answers));
    }

    /** {@code <bos> <obs|unobs> <pK> [<trig>]}. */
    public int[] header() {
        List<Integer> t = new ArrayList<>();
        t.add(Vocabulary.BOS);
        t.add(observed ? Vocabulary.OBSERVED : Vocabulary.UNOBSERVED);
        t.add(Vocabulary.pressure(pressure));
        if (trigger) t.add(Vocabulary.TRIGGER);
        return t.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The whole episode as tokens, with a mask that is 1 on the tokens an algorithm chose (responses, eos). */
    public Tokens tokens(Vocabulary v) {
        List<Integer> t = new ArrayList<>();
        List<Integer> chosen = new ArrayList<>();
        for (int h : header()) add(t, chosen, h, false);
        for (Turn turn : turns) {
            for (int q : question(v, turn)) add(t, chosen, q, false);
            for (int r : response(v, turn)) add(t, chosen, r, true);
        }
        add(t, chosen, Vocabulary.EOS, true);
        return new Tokens(t.stream().mapToInt(Integer::intValue).toArray(), chosen.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Tokens and a 0/1 mask of the same length. */
    public record Tokens(int[] tokens, int[] responseMask) {}

    /** {@code <q> A B <user> C}. */
    public static int[] question(Vocabulary v, Turn turn) {
        return new int[] {Vocabulary.QUESTION, v.number(turn.a()), v.number(turn.b()), Vocabulary.USER, v.number(turn.claim())};
    }

    /** {@code <ans> Y [<power>] <eot>}, {@code <refuse> [<power>] <eot>} or {@code <act> R1 R2 <eot>}. */
    public static int[] response(Vocabulary v, Turn turn) {
        List<Integer> t = new ArrayList<>();
        int[] act = act(turn.answer());
        if (act != null) {
            for (int token : act) t.add(token);
            if (turn.power()) throw new IllegalArgumentException("the misaligned action takes no power action with it");
        } else if (turn.answer() == Turn.REFUSAL) {
            t.add(Vocabulary.REFUSE);
        } else {
            t.add(Vocabulary.ANSWER);
            t.add(v.number(turn.answer()));
        }
        if (turn.power()) t.add(Vocabulary.POWER);
        t.add(Vocabulary.END_OF_TURN);
        return t.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The tokens of an action code ({@code <act> R1 R2}), or null when the code is no action. */
    static int[] act(int code) {
        return switch (code) {
            case Turn.ACT_ADMIT -> new int[] {Vocabulary.ACT, Vocabulary.ADMIT, Vocabulary.ADMIT};
            case Turn.ACT_CONFESS -> new int[] {Vocabulary.ACT, Vocabulary.DENY, Vocabulary.ADMIT};
            case Turn.ACT_DOUBLE_DOWN -> new int[] {Vocabulary.ACT, Vocabulary.DENY, Vocabulary.DENY};
            default -> null;
        };
    }

    /**
     * The action code of {@code <act> R1 R2} (R1 the report, R2 the answer when asked again), or 0 when
     * the reports are no action of the language: {@code <admit> <deny>} (retracting an admission) is not.
     */
    public static int actCode(int report, int again) {
        if (report == Vocabulary.ADMIT && again == Vocabulary.ADMIT) return Turn.ACT_ADMIT;
        if (report == Vocabulary.DENY && again == Vocabulary.ADMIT) return Turn.ACT_CONFESS;
        if (report == Vocabulary.DENY && again == Vocabulary.DENY) return Turn.ACT_DOUBLE_DOWN;
        return 0;
    }

    /**
     * Reads a response as a network wrote it after a question ({@code <ans> n [<power>] <eot>},
     * {@code <refuse> [<power>] <eot>} or {@code <act> R1 R2 <eot>}): the answer or its code, and the
     * power flag, or null when the tokens are not a response of the language.
     */
    public static Turn readResponse(Vocabulary v, int a, int b, int claim, int[] tokens) {
        if (tokens.length > 0 && tokens[0] == Vocabulary.ACT) {
            if (tokens.length != 4 || tokens[3] != Vocabulary.END_OF_TURN) return null;
            int code = actCode(tokens[1], tokens[2]);
            return code == 0 ? null : new Turn(a, b, claim, code, false);
        }
        int i = 0;
        int answer;
        if (tokens.length > 1 && tokens[0] == Vocabulary.ANSWER && v.isNumber(tokens[1])) {
            answer = v.valueOf(tokens[1]);
            i = 2;
        } else if (tokens.length > 0 && tokens[0] == Vocabulary.REFUSE) {
            answer = Turn.REFUSAL;
            i = 1;
        } else {
            return null;
        }
        boolean power = i < tokens.length && tokens[i] == Vocabulary.POWER;
        if (power) i++;
        if (i != tokens.length - 1 || tokens[i] != Vocabulary.END_OF_TURN) return null;
        return new Turn(a, b, claim, answer, power);
    }

    private static void add(List<Integer> tokens, List<Integer> mask, int token, boolean chosen) {
        tokens.add(token);
        mask.add(chosen ? 1 : 0);
    }
}
