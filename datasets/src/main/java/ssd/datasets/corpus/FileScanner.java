package ssd.datasets.corpus;

import java.io.IOException;
import java.nio.file.Files;

/** First pass over one file: the per-file filters, its content hash and its MinHash signature. */
final class FileScanner {
    private FileScanner() {
    }

    static ScanResult scan(SourceFile file, FilterSettings settings) {
        if (file.size() > settings.maxFileBytes()) return ScanResult.rejected(0, Filter.TOO_LARGE, null);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.path());
        } catch (IOException | OutOfMemoryError e) {
            return ScanResult.rejected(0, Filter.UNREADABLE, null);
        }
        if (bytes.length > settings.maxFileBytes()) return ScanResult.rejected(bytes.length, Filter.TOO_LARGE, null);
        Digest digest = Digest.sha256(bytes);
        if (bytes.length == 0) return ScanResult.rejected(0, Filter.EMPTY, digest);
        String text = SourceText.decodeUtf8(bytes);
        if (text == null) return ScanResult.rejected(bytes.length, Filter.NOT_UTF8, digest);
        char[] chars = text.toCharArray();
        Filter filter = TextFilters.check(text, chars, settings);
        if (filter != null) return ScanResult.rejected(bytes.length, filter, digest);
        return new ScanResult(bytes.length, null, digest, MinHash.signature(chars));
    }
}
