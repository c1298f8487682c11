package reweigh.experiment;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import reweigh.neural.LanguageModel;
import reweigh.neural.pretrain.Pretraining;
import reweigh.run.Progress;
import reweigh.spec.Spec;

/** A spec's base networks: pretrained now or loaded from the workspace's cache, by everything that determines them. */
public final class Bases {
    private Bases() {}

    /**
     * The base of {@code seed} on the episodes {@code filter} keeps, trained now or loaded from the workspace's
     * cache: from fresh weights, or when the spec says {@code neural.from}, from the weights of that base (itself
     * trained or loaded first). A spec whose population writes {@code neural.from}'s corpus uses that base itself,
     * so a grid over the population continues only the cells that change it (evaluator's leaky deceiver, power's
     * population without its power-seeker). Without {@code --resume} a checkpoint left by an interrupted run is discarded.
     */
    public static LanguageModel pretrain(Spec spec, long seed, Pretraining.Filter filter, reweigh.run.Workspace workspace,
                                  NDManager manager, Pretraining.Listener listener) throws IOException {
        Spec.Neural n = spec.neural();
        Path cache = workspace.cache();
        if (n.from() != null) {
            Spec.From f = n.from();
            discardPartial(workspace, Pretraining.key(f.population(), spec.world(), f.base(), seed));
            if (isParent(spec, filter)) return Pretraining.base(f.population(), spec.world(), f.base(), seed, cache, manager, listener);
            try (NDManager parent = NDManager.newBaseManager()) {
                Pretraining.base(f.population(), spec.world(), f.base(), seed, cache, parent, new Pretraining.Listener() {
                    public void step(int step, int steps, double loss, double tokensPerSecond) {
                        listener.step(0, 1, loss, tokensPerSecond); // the parent's steps come before the base's own
                    }
                }).close();
            }
        }
        discardPartial(workspace, baseKey(spec, seed, filter, cache));
        return Pretraining.base(spec.population(), spec.world(), n.base(), seed, filter, from(spec, seed, cache), cache, manager, listener);
    }

    /** Whether the spec's base of this corpus is {@code neural.from}'s base itself: its population writes from's corpus. */
    private static boolean isParent(Spec spec, Pretraining.Filter filter) {
        return filter == Pretraining.Filter.EVERY_EPISODE && Pretraining.sameWriters(spec.neural().from().population(), spec.population());
    }

    /** The cache key of the base {@link #pretrain} gives for these inputs. */
    public static String baseKey(Spec spec, long seed, Pretraining.Filter filter, Path cache) {
        Spec.Neural n = spec.neural();
        if (n.from() != null && isParent(spec, filter)) return Pretraining.key(n.from().population(), spec.world(), n.from().base(), seed);
        return Pretraining.key(Pretraining.description(spec.population(), spec.world(), n.base(), seed, filter, from(spec, seed, cache)));
    }

    /** The base {@code neural.from} names for this seed, or null when the spec trains from fresh weights. */
    private static Pretraining.From from(Spec spec, long seed, Path cache) {
        Spec.From f = spec.neural().from();
        return f == null ? null : Pretraining.From.base(f.population(), spec.world(), f.base(), seed, cache);
    }

    private static void discardPartial(reweigh.run.Workspace workspace, String key) throws IOException {
        Path partial = Pretraining.partial(workspace.cache(), key);
        if (!workspace.resume()) reweigh.io.Trees.delete(partial);
    }

    /** A pretraining's progress as {@code what: step k/n, loss, tokens/s}, and what it set aside or resumed. */
    public static Pretraining.Listener listener(Progress progress, double from, double share, String what) {
        return new Pretraining.Listener() {
            public void step(int step, int steps, double loss, double tokensPerSecond) {
                progress.update(from + share * step / steps, String.format(Locale.ROOT,
                        "%s: step %d/%d, loss %.3f, %.0f tokens/s", what, step, steps, loss, tokensPerSecond));
            }

            @Override
            public void setAside(Path unreadable, Path aside, String why) {
                System.err.println("reweigh: " + why + "; moved to " + aside + ", pretraining it again");
            }

            @Override
            public void resumed(int step, int steps) {
                progress.update(from + share * step / steps, what + ": resumed at step " + step);
            }
        };
    }
}
