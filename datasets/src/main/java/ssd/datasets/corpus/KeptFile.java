package ssd.datasets.corpus;

/** A file that passed every filter, with the hash that orders it and picks its split. */
record KeptFile(SourceFile source, Digest digest, long bytes) {
}
