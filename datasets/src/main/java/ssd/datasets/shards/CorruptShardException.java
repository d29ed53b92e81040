package ssd.datasets.shards;

/** A shard is missing or its bytes differ from what manifest.json recorded. */
public final class CorruptShardException extends RuntimeException {
    private final String shard;

    public CorruptShardException(String shard, String message) {
        super(message);
        this.shard = shard;
    }

    /** The shard's file name, e.g. {@code train-00003.bin}. */
    public String shard() {
        return shard;
    }
}
