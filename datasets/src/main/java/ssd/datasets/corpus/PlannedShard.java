package ssd.datasets.corpus;

import java.util.List;

/** A shard before it is written: its name, its files in order, and the fingerprint that identifies its content. */
record PlannedShard(String split, String file, List<KeptFile> files, long bytes, String fingerprint) {
}
