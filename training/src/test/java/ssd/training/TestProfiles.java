package ssd.training;

/** Tiny settings that train in well under a second per run on one CPU thread. */
final class TestProfiles {
    private TestProfiles() {
    }

    static RoleSettings tiny(int layers, int embd, int heads, long trainTokens, int evalEvery, int checkpointEvery) {
        return new RoleSettings(layers, embd, heads, 32, TinyCorpus.VOCAB, 16, 4, 2, trainTokens, 1e-2, 1e-3, 5, 0.1, 0.9, 0.95,
                1e-8, 1.0, evalEvery, 256, checkpointEvery, 2, 7, "fp32", null);
    }

    static TrainingProfile profile(RoleSettings oracle, RoleSettings draft) {
        return new TrainingProfile("tiny-test", "unit tests", oracle, draft);
    }

    static TrainingProfile tinyFamily() {
        return profile(tiny(2, 32, 2, 128 * 60, 20, 0), tiny(1, 8, 1, 128 * 60, 20, 0));
    }
}
