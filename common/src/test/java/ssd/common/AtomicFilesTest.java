package ssd.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class AtomicFilesTest {
    @Test
    void writesTheWholeFileAndLeavesNoTempFileBehind(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("sub/table.md");
        AtomicFiles.writeString(target, "first");
        AtomicFiles.writeString(target, "second");
        assertThat(Files.readString(target)).isEqualTo("second");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTempFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("figure.png");
        AtomicFiles.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new IOException("disk full");
        })).hasMessage("cannot write " + target + ": disk full");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new IllegalStateException("encoder bug");
        })).hasMessage("encoder bug");
        assertThat(Files.readString(target)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void theFileGetsThePermissionsAnyNewFileGetsNotOwnerOnly(@TempDir Path dir) throws IOException {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path written = dir.resolve("written.txt"), resumable = dir.resolve("resumable.txt");
        AtomicFiles.writeString(written, "x");
        AtomicFiles.writeResumable(resumable, out -> out.write('x'));
        assertThat(Files.getPosixFilePermissions(written)).isEqualTo(Files.getPosixFilePermissions(plain));
        assertThat(Files.getPosixFilePermissions(resumable)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void aOneShotWriteNeverTouchesTheFixedTemporaryOfAResumableWriter(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("summary.json");
        Files.writeString(AtomicFiles.tempFor(target), "another writer's bytes");
        AtomicFiles.writeString(target, "{}");
        assertThat(Files.readString(AtomicFiles.tempFor(target))).isEqualTo("another writer's bytes");
    }

    @Test
    void aResumableWriteOverwritesWhatAKilledRunLeftUnderTheFixedName(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("out/manifest.json");
        assertThat(AtomicFiles.tempFor(target)).isEqualTo(dir.resolve("out/manifest.json.tmp"));
        Files.createDirectories(target.getParent());
        Files.writeString(AtomicFiles.tempFor(target), "a torn manifest from a killed run, longer than the new one");
        AtomicFiles.writeResumable(target, out -> out.write("{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(target)).isEqualTo("{}");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFailedResumableWriteDeletesItsTemporaryAndNamesTheFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("run.jsonl");
        AtomicFiles.writeResumable(target, out -> out.write('a'));
        assertThatThrownBy(() -> AtomicFiles.writeResumable(target, out -> {
            out.write('b');
            throw new IOException("File too large");
        })).hasMessage("cannot write " + target + ": File too large");
        assertThat(Files.readString(target)).isEqualTo("a");
        assertThat(AtomicFiles.tempFor(target)).doesNotExist();
    }

    @Test
    void buffersAreWrittenInOrderWithoutConsumingThem(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("model.safetensors");
        ByteBuffer head = ByteBuffer.wrap("head:".getBytes(StandardCharsets.UTF_8));
        ByteBuffer data = ByteBuffer.allocateDirect(3).put(new byte[]{'1', '2', '3'}).flip();
        AtomicFiles.writeResumable(target, head, data);
        assertThat(Files.readString(target)).isEqualTo("head:123");
        assertThat(head.remaining()).isEqualTo(5);
        assertThat(data.remaining()).isEqualTo(3);
        assertThat(AtomicFiles.tempFor(target)).doesNotExist();
    }

    @Test
    void contentMayCloseItsStreamAsJacksonDoes(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("manifest.json"), resumable = dir.resolve("manifest.partial.json");
        AtomicFiles.write(target, out -> {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        AtomicFiles.writeResumable(resumable, out -> {
            out.write("[]".getBytes(StandardCharsets.UTF_8), 0, 2);
            out.close();
        });
        assertThat(Files.readString(target)).isEqualTo("{}");
        assertThat(Files.readString(resumable)).isEqualTo("[]");
    }

    @Test
    void commitRenamesACallerWrittenTemporary(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("train-00000.bin");
        Files.writeString(target, "old");
        Path temp = AtomicFiles.tempFor(target);
        Files.writeString(temp, "new");
        AtomicFiles.commit(temp, target);
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(temp).doesNotExist();
    }
}
