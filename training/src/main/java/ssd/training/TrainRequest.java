package ssd.training;

import java.nio.file.Path;

/**
 * One {@code ssd train} invocation.
 *
 * @param settings     the role's settings from the profile, after command-line overrides
 * @param init         Hugging Face checkpoint to start from (its shape replaces the profile's), or null for GPT-2 init
 * @param device       cpu, cuda or cuda:N
 * @param computeDtype auto (bf16 on CUDA, fp32 on CPU), fp32 or bf16
 * @param peakTflops   peak FLOP/s for MFU in TFLOP/s, or null to look it up from the GPU name
 * @param stopAt       stop after this step with a resumable state (0: run to the end)
 * @param compareWith  the other role's checkpoint: after training, score both on the same validation windows
 * @param distillFrom  the oracle checkpoint to distill the draft from (settings.distill() holds alpha and T), or null
 */
public record TrainRequest(TrainingProfile profile, Role role, RoleSettings settings, Path corpus, Path out, Path init,
                           boolean resume, String device, String computeDtype, Double peakTflops, long stopAt,
                           boolean progressBar, Path compareWith, Path distillFrom) {
    public TrainRequest {
        if (profile == null || role == null || settings == null) throw new IllegalArgumentException("profile and role are required");
        if (corpus == null) throw new IllegalArgumentException("--corpus DIR is required");
        if (out == null) throw new IllegalArgumentException("--out DIR is required");
        if (stopAt < 0) throw new IllegalArgumentException("--stop-at must be >= 0, got " + stopAt);
        if (peakTflops != null && !(peakTflops > 0)) throw new IllegalArgumentException("--peak-tflops must be positive, got " + peakTflops);
        if (distillFrom != null && role != Role.DRAFT) throw new IllegalArgumentException("--distill-from trains a draft: pass --role draft");
        if (distillFrom != null && settings.distill() == null) {
            throw new IllegalArgumentException("--distill-from needs distillation settings (a \"distill\" object in the profile's draft role)");
        }
    }

    /** The profile's settings for {@code role} on the CPU, no overrides. */
    public static TrainRequest of(TrainingProfile profile, Role role, Path corpus, Path out) {
        return new TrainRequest(profile, role, profile.role(role), corpus, out, null, false, "cpu", "auto", null, 0, false, null, null);
    }

    public TrainRequest withResume(boolean r) {
        return new TrainRequest(profile, role, settings, corpus, out, init, r, device, computeDtype, peakTflops, stopAt, progressBar, compareWith, distillFrom);
    }

    public TrainRequest withStopAt(long step) {
        return new TrainRequest(profile, role, settings, corpus, out, init, resume, device, computeDtype, peakTflops, step, progressBar, compareWith, distillFrom);
    }

    public TrainRequest withInit(Path checkpoint) {
        return new TrainRequest(profile, role, settings, corpus, out, checkpoint, resume, device, computeDtype, peakTflops, stopAt, progressBar, compareWith, distillFrom);
    }

    public TrainRequest withCompareWith(Path other) {
        return new TrainRequest(profile, role, settings, corpus, out, init, resume, device, computeDtype, peakTflops, stopAt, progressBar, other, distillFrom);
    }

    public TrainRequest withSettings(RoleSettings s) {
        return new TrainRequest(profile, role, s, corpus, out, init, resume, device, computeDtype, peakTflops, stopAt, progressBar, compareWith, distillFrom);
    }

    /** Distil from {@code oracle} with the profile's distillation settings (budget and micro-batch included). */
    public TrainRequest withDistillFrom(Path oracle) {
        RoleSettings s = oracle == null ? settings : settings.forDistillation("profile " + profile.name());
        return new TrainRequest(profile, role, s, corpus, out, init, resume, device, computeDtype, peakTflops, stopAt, progressBar, compareWith, oracle);
    }
}
