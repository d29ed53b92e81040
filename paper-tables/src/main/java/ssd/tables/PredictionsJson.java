package ssd.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file of predictions made elsewhere, as a {@link Predictor} (the same predictions for every setup):
 * <pre>{@code
 * {"profiles": [{"name": "paper", "device": "rtx4090", "description": "..."}, ...],
 *  "predictions": [{"profile": "paper", "sampling": {"temperature": 0, "top_k": 0}, "method": "staged",
 *                   "tokens_per_second": 474.0, "bytes_per_token": 5.2e8}, ...]}
 * }</pre>
 * {@code bytes_per_token} may be left out. Every prediction names a listed profile.
 */
public final class PredictionsJson implements Predictor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Profile> profiles;
    private final List<Prediction> predictions;

    private PredictionsJson(List<Profile> profiles, List<Prediction> predictions) {
        this.profiles = List.copyOf(profiles);
        this.predictions = List.copyOf(predictions);
    }

    public static PredictionsJson read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read predictions (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static PredictionsJson parse(JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("expected a JSON object with 'profiles' and 'predictions'");
        Map<String, Profile> profiles = new LinkedHashMap<>();
        for (JsonNode p : array(root, "profiles")) {
            Profile profile = new Profile(text(p, "name", "profiles[]"), text(p, "device", "profiles[]"), p.path("description").asText(""));
            if (profiles.put(profile.name(), profile) != null) throw new IllegalArgumentException("profile '" + profile.name() + "' listed twice");
        }
        List<Prediction> predictions = new ArrayList<>();
        JsonNode list = array(root, "predictions");
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String at = "predictions[" + i + "]";
            String profile = text(p, "profile", at);
            if (!profiles.containsKey(profile)) throw new IllegalArgumentException(at + ": profile '" + profile + "' is not in 'profiles'");
            JsonNode s = p.path("sampling");
            if (!s.path("temperature").isNumber() || !s.path("top_k").isInt())
                throw new IllegalArgumentException(at + ": sampling must be {\"temperature\": T, \"top_k\": K}");
            try {
                predictions.add(new Prediction(profile, new Sampling(s.get("temperature").asDouble(), s.get("top_k").asInt()), text(p, "method", at),
                        number(p, "tokens_per_second", at), p.has("bytes_per_token") ? number(p, "bytes_per_token", at) : Double.NaN));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(at) ? e.getMessage() : at + ": " + e.getMessage(), e);
            }
        }
        return new PredictionsJson(new ArrayList<>(profiles.values()), predictions);
    }

    private static JsonNode array(JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) throw new IllegalArgumentException("'" + field + "' must be a list");
        return a;
    }

    private static String text(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) throw new IllegalArgumentException(at + ": '" + field + "' must be a non-empty string");
        return v.asText();
    }

    private static double number(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) throw new IllegalArgumentException(at + ": '" + field + "' must be a number");
        return v.asDouble();
    }

    @Override
    public List<Profile> profiles() {
        return profiles;
    }

    @Override
    public List<Prediction> predict(List<DecodeRun> runs) {
        return predictions;
    }
}
