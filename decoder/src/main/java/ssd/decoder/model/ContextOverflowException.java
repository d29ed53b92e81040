package ssd.decoder.model;

/** A forward would place a token beyond the model's context window or the cache's scratch room. */
public final class ContextOverflowException extends IllegalStateException {
    public ContextOverflowException(String message) {
        super(message);
    }
}
