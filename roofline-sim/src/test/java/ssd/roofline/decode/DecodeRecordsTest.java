package ssd.roofline.decode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssd.roofline.trace.Method;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecodeRecordsTest {
    /** The committed mini-family H200 records (20 built-in prompts, three methods). */
    private static final Path MINI = Path.of("../results/h200/mini-greedy-fp16-cuda-graph.jsonl");

    @Test
    void readsTheCommittedRecords() {
        List<DecodeRecord> records = DecodeRecords.read(MINI);
        assertThat(records).hasSize(60);
        DecodeRecord first = records.get(0);
        assertThat(first.method()).isEqualTo(Method.BASELINE);
        assertThat(first.sampling()).isEqualTo("greedy");
        assertThat(first.device()).isEqualTo("NVIDIA H200");
        // stats.ms of builtin/0: oracle 48.622338 ms, bookkeeping 0.44103 ms; the prompt forward yields token 1.
        assertThat(first.measured().oracleSeconds()).isEqualTo(48.622338e-3);
        assertThat(first.measured().bookkeepingSeconds()).isCloseTo(0.44103e-3, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(first.decodeOracleCalls()).hasSize(127);
        assertThat(first.decodeTokens()).isEqualTo(127);
        DecodeRecord staged = records.get(2);
        assertThat(staged.method()).isEqualTo(Method.STAGED);
        assertThat(staged.decodeTokens()).isEqualTo(128);
    }

    @Test
    void aRecordWithoutStageTimesIsOneLineNamingFileLineAndField(@TempDir Path dir) throws IOException {
        String line = Files.readAllLines(MINI).get(0).replace("\"bookkeeping\":", "\"bookkeping\":");
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, line + "\n");
        assertThatThrownBy(() -> DecodeRecords.read(f)).hasMessage(f + " line 1: stats.ms: missing required field 'bookkeeping'");
    }

    @Test
    void anEmptyFileIsAnError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("empty.jsonl");
        Files.writeString(f, "\n");
        assertThatThrownBy(() -> DecodeRecords.read(f)).hasMessageContaining("no records");
    }
}
