package ssd.training;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import ssd.testing.fuzz.ByteMutation;
import ssd.testing.fuzz.JsonMutation;
import ssd.testing.fuzz.ParseOracle;
import ssd.testing.fuzz.Scratch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the training profile reader ({@link TrainingProfile#load} on a file) with 10,000 mutated and truncated
 * copies of the shipped profiles. A profile that loads must also give everything `ssd train` derives from it before
 * the first step (model shapes, step count, schedule, optimiser settings, checkpoint dtype); every other case ends in
 * an IllegalArgumentException whose first line names the file.
 */
class ProfileFuzzTest {
    static final ParseOracle PROFILE = new ParseOracle("training profile JSON", IllegalArgumentException.class);
    static Scratch scratch;
    static byte[] mini, paper;

    @BeforeContainer
    static void readSeeds() throws IOException {
        scratch = new Scratch("profile-fuzz");
        mini = resource("mini");
        paper = resource("paper");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TrainingProfile.class.getResourceAsStream("profiles/" + name + ".json")) {
            return in.readAllBytes();
        }
    }

    @AfterContainer
    static void report() {
        System.out.println(PROFILE.summary());
        scratch.close();
    }

    @Property(tries = 6000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedProfileJson(@ForAll("jsonEdits") List<JsonMutation> edits, @ForAll boolean paperProfile) {
        load(JsonMutation.applyAll(paperProfile ? paper : mini, edits), edits);
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedProfileBytes(@ForAll("byteEdits") List<ByteMutation> edits) {
        load(ByteMutation.applyAll(mini, edits), edits);
    }

    @Property(tries = 1000)
    void truncatedProfile(@ForAll @IntRange(min = 0, max = 100_000) int keep) {
        byte[] cut = Arrays.copyOf(mini, keep % (mini.length + 1));
        load(cut, "truncated to " + cut.length + " bytes");
    }

    @Provide
    Arbitrary<List<ByteMutation>> byteEdits() {
        return ByteMutation.lists();
    }

    @Provide
    Arbitrary<List<JsonMutation>> jsonEdits() {
        return JsonMutation.lists();
    }

    static void load(byte[] bytes, Object input) {
        Path file = scratch.root().resolve("profile.json");
        Scratch.write(file, bytes);
        PROFILE.check(file.toString(), input, () -> {
            TrainingProfile p = TrainingProfile.load(file.toString());
            for (Role role : Role.values()) {
                RoleSettings s = p.role(role);
                s.config().parameterCount();
                s.schedule().at(0);
                s.adamW();
                s.checkpointDtype();
                FlopsEstimate.of(s.config(), s.seqLen());
            }
            return p;
        });
    }
}
