package ssd.datasets.corpus;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A SHA-256 value, small enough to keep one per file and usable as a map key. Orders by unsigned value. */
public record Digest(long a, long b, long c, long d) implements Comparable<Digest> {

    public static Digest sha256(byte[] data) {
        return of(newSha256().digest(data));
    }

    public static Digest of(byte[] sha256) {
        ByteBuffer buf = ByteBuffer.wrap(sha256);
        return new Digest(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
    }

    public static Digest parse(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public String hex() {
        return HexFormat.of().formatHex(ByteBuffer.allocate(32).putLong(a).putLong(b).putLong(c).putLong(d).array());
    }

    @Override
    public int compareTo(Digest o) {
        int r = Long.compareUnsigned(a, o.a);
        if (r == 0) r = Long.compareUnsigned(b, o.b);
        if (r == 0) r = Long.compareUnsigned(c, o.c);
        if (r == 0) r = Long.compareUnsigned(d, o.d);
        return r;
    }

    @Override
    public String toString() {
        return hex();
    }
}
