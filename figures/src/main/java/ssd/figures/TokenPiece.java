package ssd.figures;

import ssd.tables.Origin;

/** A generated token's text (possibly empty where it ends mid-character) and the model that produced it. */
public record TokenPiece(String text, Origin origin) {
}
