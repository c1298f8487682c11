package reweigh.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreesTest {
    @Test
    void deletesAFolderWithEverythingInItAndNothingBesideIt(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("run/a/b"));
        Files.writeString(tree.resolve("x.csv"), "1");
        Files.writeString(dir.resolve("run/y.txt"), "2");
        Path beside = Files.writeString(dir.resolve("run-kept.txt"), "3");
        Trees.delete(dir.resolve("run"));
        assertFalse(Files.exists(dir.resolve("run")));
        assertTrue(Files.exists(beside), "a sibling whose name starts the same is kept");
    }

    @Test
    void aMissingFolderIsNothingToDo(@TempDir Path dir) throws Exception {
        Trees.delete(dir.resolve("never-made"));
        assertTrue(Files.exists(dir));
    }
}
