package ssd.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A family's training recipe: the oracle's and the draft's {@link RoleSettings}. Built-in profiles live in
 * {@code ssd/training/profiles/NAME.json} on the classpath; any other JSON file of the same form can be named by path.
 */
public record TrainingProfile(@JsonProperty(value = "name", required = true) String name,
                              @JsonProperty("description") String description,
                              @JsonProperty(value = "oracle", required = true) RoleSettings oracle,
                              @JsonProperty(value = "draft", required = true) RoleSettings draft) {
    public static final List<String> BUILT_IN = List.of("mini", "paper", "gpt2-small");

    public TrainingProfile {
        // Jackson's "required" accepts an explicit null; the trainer would then fail far from the file.
        if (name == null) throw new IllegalArgumentException("\"name\" is required");
        if (oracle == null || draft == null) throw new IllegalArgumentException("\"oracle\" and \"draft\" settings are both required");
        if (oracle.distill() != null) throw new IllegalArgumentException("oracle: \"distill\" settings apply to the draft role only");
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public RoleSettings role(Role role) {
        return role == Role.ORACLE ? oracle : draft;
    }

    /** A built-in profile by name, or a profile file when {@code nameOrPath} ends in .json or names an existing file. */
    public static TrainingProfile load(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new IllegalArgumentException("--profile is required: one of " + String.join(", ", BUILT_IN) + " or a profile .json file");
        }
        Path file = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".json") || Files.isRegularFile(file)) {
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException("profile file " + file + " does not exist");
            try (InputStream in = Files.newInputStream(file)) {
                return parse(in, file.toString());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read profile " + file + ": " + e.getMessage(), e);
            }
        }
        InputStream in = TrainingProfile.class.getResourceAsStream("profiles/" + nameOrPath + ".json");
        if (in == null || !nameOrPath.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("unknown profile '" + nameOrPath + "': expected one of "
                    + String.join(", ", BUILT_IN) + " or a path to a profile .json file");
        }
        try (in) {
            return parse(in, "built-in profile " + nameOrPath);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read built-in profile " + nameOrPath + ": " + e.getMessage(), e);
        }
    }

    private static TrainingProfile parse(InputStream in, String source) throws IOException {
        try {
            TrainingProfile p = JSON.readValue(in, TrainingProfile.class);
            if (p == null) throw new IllegalArgumentException(source + ": empty profile");
            return p;
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException(source + ": " + cause.getMessage(), e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(source + ": " + e.getOriginalMessage(), e);
        }
    }
}
