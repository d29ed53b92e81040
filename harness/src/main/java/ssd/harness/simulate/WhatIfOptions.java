package ssd.harness.simulate;

import picocli.CommandLine.Option;
import ssd.roofline.ModelShapes;
import ssd.roofline.device.Device;
import ssd.roofline.predict.AcceptanceModel;
import ssd.roofline.predict.Scenario;

/** Assumptions of a what-if: the draft, how often the oracle agrees with its ranked guesses, and the batch budgets. */
final class WhatIfOptions {
    @Option(names = "--draft", defaultValue = "4x512", paramLabel = "CONFIG",
            description = "Draft model (preset, LAYERSxWIDTH or config.json). Default: ${DEFAULT-VALUE} (~39M params, the paper's 40M draft size).")
    String draft;

    @Option(names = "--rank-probs", defaultValue = "0.7,0.1,0.05", paramLabel = "P1,P2,...",
            description = {"ASSUMED probability that the oracle's token is the draft's 1st, 2nd, ... choice (independent per depth).",
                    "The first is the chain acceptance rate. Default: ${DEFAULT-VALUE} (an assumption, not a measurement)."})
    String rankProbs;

    @Option(names = "--budget", defaultValue = "32", paramLabel = "NODES", description = "Tree budget (proposals per oracle call). Default: ${DEFAULT-VALUE}.")
    int budget;

    @Option(names = "--chain", defaultValue = "4", paramLabel = "G", description = "Drafted tokens per call for chain speculative. Default: ${DEFAULT-VALUE}.")
    int chain;

    @Option(names = "--ngram-us", defaultValue = "10", paramLabel = "US", description = "Host time per n-gram query (microseconds). Default: ${DEFAULT-VALUE}.")
    double ngramUs;

    Scenario scenario(Device device, ModelOptions model) {
        if (budget < 1) throw new IllegalArgumentException("--budget must be >= 1, got " + budget);
        if (chain < 1) throw new IllegalArgumentException("--chain must be >= 1, got " + chain);
        return new Scenario(device, model.shape(), ModelShapes.resolve(draft), model.dtypeValue(), model.prefixValue(),
                AcceptanceModel.parse(rankProbs), SimulateCommand.predictOptions(ngramUs));
    }
}
