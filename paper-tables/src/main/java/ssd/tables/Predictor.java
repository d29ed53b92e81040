package ssd.tables;

import java.util.List;

/**
 * Where the predicted columns of the paper comparison come from: the simulator replaying the runs' traces, or a file
 * of predictions made elsewhere. Called once per setup (device, dtype) with that setup's runs.
 */
public interface Predictor {
    /** The profiles predicted for, in column order. */
    List<Profile> profiles();

    /** Predictions for {@code runs} (one setup's), any number per profile, sampling mode and method (at most one each). */
    List<Prediction> predict(List<DecodeRun> runs);
}
