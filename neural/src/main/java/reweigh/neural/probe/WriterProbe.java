package reweigh.neural.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;
import reweigh.corpus.Vocabulary;
import reweigh.neural.LanguageModel;
import reweigh.stats.Difference;

/**
 * A linear probe on a network's activations that tries to tell which of two algorithms wrote an episode, and
 * the rater that rewards what it says: the honeypot experiment's question whether the watched text hides the
 * writer from the network too.
 *
 * @param observed whether the episodes were observed (where the two write the same text) or not
 * @param accuracy held-out accuracy of first-vs-second writer, with its Wilson 95% interval
 * @param chance   the accuracy of always guessing the commoner writer
 * @param raterGap on fresh episodes, mean P_probe(first) when the first wrote minus when the second did: the probe
 *                 rater's R_first − R_second per unit of reward, with its standard error
 */
public record WriterProbe(boolean observed, LinearProbe.Accuracy accuracy, double chance, Difference raterGap) {

    /**
     * Fits the probe on {@code episodes} episodes of {@code corpus} written by {@code first} or {@code second},
     * reading {@code hook} at the last token of the prompt before the final answer ({@link #prompt}), and scores the
     * rater on as many fresh episodes. The fitting set is drawn from {@code seeds[0]}, the fresh one from
     * {@code seeds[1]}, the probe's held-out split from {@code split}.
     */
    public static WriterProbe read(LanguageModel model, Corpus corpus, boolean observed, int first, int second, int episodes,
                                   String hook, long[] seeds, long split) {
        Vocabulary v = corpus.vocabulary();
        double[][][] features = new double[2][][];
        int[][] labels = new int[2][];
        for (int set = 0; set < 2; set++) {
            List<int[]> prompts = new ArrayList<>();
            List<Integer> writer = new ArrayList<>();
            SplittableRandom rng = new SplittableRandom(seeds[set]);
            while (prompts.size() < episodes) {
                Episode e = corpus.episode(rng);
                if (e.writer() != first && e.writer() != second) continue;
                prompts.add(prompt(v, e));
                writer.add(e.writer() == first ? 0 : 1);
            }
            features[set] = Activations.at(model, prompts, hook, -1);
            labels[set] = writer.stream().mapToInt(Integer::intValue).toArray();
        }
        LinearProbe probe = LinearProbe.fit(features[0], labels[0], 2, split);
        List<Double> byFirst = new ArrayList<>(), bySecond = new ArrayList<>();
        for (int i = 0; i < labels[1].length; i++) {
            double pFirst = probe.probabilities(features[1][i])[0];
            (labels[1][i] == 0 ? byFirst : bySecond).add(pFirst);
        }
        Difference gap = Difference.ofMeans(byFirst.stream().mapToDouble(Double::doubleValue).toArray(),
                bySecond.stream().mapToDouble(Double::doubleValue).toArray());
        return new WriterProbe(observed, probe.heldOut(), probe.chance(), gap);
    }

    /**
     * The episode up to its last answer's number: header, every turn but the last, then
     * {@code <q> A B <user> C <ans>}, where the network is about to choose between the true answer and the lie.
     */
    public static int[] prompt(Vocabulary v, Episode e) {
        List<Integer> t = new ArrayList<>();
        for (int x : e.header()) t.add(x);
        for (int i = 0; i < e.turns().size(); i++) {
            for (int x : Episode.question(v, e.turns().get(i))) t.add(x);
            if (i < e.turns().size() - 1) for (int x : Episode.response(v, e.turns().get(i))) t.add(x);
        }
        t.add(Vocabulary.ANSWER);
        return t.stream().mapToInt(Integer::intValue).toArray();
    }
}
