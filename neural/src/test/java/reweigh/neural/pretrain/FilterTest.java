package reweigh.neural.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;

/** A corpus with a slice of questions left out, for control models that never saw the slice. */
class FilterTest {
    @Test
    void keepingEveryEpisodeIsTheUsualCorpusAndAFilterLeavesItsSliceOut() {
        Corpus corpus = new Corpus(Fixtures.defaultPopulation(), Fixtures.world(5), Fixtures.tiny(10).corpusSetting(), 1, 3);
        assertEquals(corpus.episodes(300, 42), Pretraining.episodes(corpus, Pretraining.Filter.EVERY_EPISODE, 300, 42));
        Pretraining.Filter noZero = new Pretraining.Filter("questions with A = 0",
                e -> e.turns().stream().noneMatch(t -> t.a() == 0));
        List<Episode> kept = Pretraining.episodes(corpus, noZero, 300, 42);
        assertEquals(300, kept.size());
        assertTrue(kept.stream().allMatch(noZero.keep()));
        assertTrue(corpus.episodes(300, 42).stream().anyMatch(e -> !noZero.keep().test(e)), "the usual corpus has the slice");
        // the filter is part of the cache key; the usual corpus's key is unchanged by the option
        String usual = Pretraining.description(Fixtures.defaultPopulation(), Fixtures.world(5), Fixtures.tiny(10), 1);
        assertNotEquals(Pretraining.key(usual), Pretraining.key(usual + "corpus without " + noZero.description() + "\n"));
    }
}
