package ssd.datasets.corpus;

/**
 * What the first pass learned about one file; the text itself is not kept (the second pass reads it again).
 *
 * @param bytesRead  bytes read from disk (0 when the size alone decided)
 * @param rejectedBy the first filter that rejected the file, or null
 * @param digest     sha256 of the bytes; null when not read
 * @param signature  MinHash signature; null when rejected
 */
record ScanResult(long bytesRead, Filter rejectedBy, Digest digest, int[] signature) {
    static ScanResult rejected(long bytesRead, Filter filter, Digest digest) {
        return new ScanResult(bytesRead, filter, digest, null);
    }
}
