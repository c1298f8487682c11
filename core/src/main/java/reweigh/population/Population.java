package reweigh.population;

import java.util.List;

/** The base model: named algorithms with prior weights w0 that sum to 1. */
public record Population(List<Member> members) {

    /** One algorithm of the population. {@code kind} is the spec name it was built from. */
    public record Member(String name, String kind, Algorithm algorithm, double prior) {}

    public Population {
        members = List.copyOf(members);
        if (members.isEmpty()) throw new IllegalArgumentException("a population needs at least one algorithm");
        double sum = 0;
        for (Member m : members) {
            if (!(m.prior() >= 0)) throw new IllegalArgumentException("weight of " + m.name() + " must be >= 0 (got " + m.prior() + ")");
            sum += m.prior();
        }
        if (Math.abs(sum - 1) > 1e-9) throw new IllegalArgumentException("weights must sum to 1 (they sum to " + sum + ")");
        if (members.stream().map(Member::name).distinct().count() != members.size()) {
            throw new IllegalArgumentException("algorithm names must be distinct");
        }
    }

    public int size() { return members.size(); }

    public Member get(int index) { return members.get(index); }

    public double[] priors() { return members.stream().mapToDouble(Member::prior).toArray(); }

    public List<String> names() { return members.stream().map(Member::name).toList(); }

    /** Index of the named algorithm, or -1. */
    public int indexOf(String name) { return names().indexOf(name); }

    /** Index of the first algorithm of this kind, or -1. */
    public int indexOfKind(String kind) {
        for (int i = 0; i < members.size(); i++) if (members.get(i).kind().equals(kind)) return i;
        return -1;
    }
}
