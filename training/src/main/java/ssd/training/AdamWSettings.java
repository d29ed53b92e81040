package ssd.training;

/** AdamW hyper-parameters other than the learning rate (which the schedule gives per step). */
public record AdamWSettings(double beta1, double beta2, double eps, double weightDecay) {
}
