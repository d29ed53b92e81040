package ssd.decoder.decoding;

public enum StopReason { MAX_TOKENS, EOS, STOP_STRING, CONTEXT_FULL }
