package ssd.decoder.bench;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessRssTest {
    @Test
    void followsMemoryTheProcessTouches() {
        long before = ProcessRss.self();
        assertThat(before).isPositive();
        ByteBuffer touched = ByteBuffer.allocateDirect(64 << 20);
        for (int i = 0; i < touched.capacity(); i += 4096) touched.put(i, (byte) 1);
        assertThat(ProcessRss.self() - before).isGreaterThan(48L << 20);
        assertThat(touched.get(0)).isEqualTo((byte) 1);
    }

    @Test
    void aProcessThatDoesNotExistHasNone() {
        assertThat(ProcessRss.bytes(Long.MAX_VALUE)).isEqualTo(-1);
    }
}
