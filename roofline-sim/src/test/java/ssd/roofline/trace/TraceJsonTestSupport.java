package ssd.roofline.trace;

import ssd.roofline.io.Json;

/** The pretty JSON text of a trace, for tests that corrupt one field. */
final class TraceJsonTestSupport {
    private TraceJsonTestSupport() {
    }

    static String json(DecodingTrace t) {
        return Json.write(TraceJson.toJson(t));
    }
}
