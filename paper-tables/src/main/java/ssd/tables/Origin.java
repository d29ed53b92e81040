package ssd.tables;

/** Which model produced a generated token; records spell it by name (NGRAM, DRAFT, ORACLE). */
public enum Origin {
    NGRAM, DRAFT, ORACLE
}
