package ssd.harness.simulate;

import picocli.CommandLine.Option;
import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.ModelShapes;

/** --config, --dtype and --prefix: the oracle and where in a completion it is costed. */
final class ModelOptions {
    @Option(names = "--config", defaultValue = "gpt2-large", paramLabel = "CONFIG",
            description = "Oracle: preset (gpt2, gpt2-medium, gpt2-large, gpt2-xl), LAYERSxWIDTH, or a config.json. Default: ${DEFAULT-VALUE}.")
    String config;

    @Option(names = "--dtype", defaultValue = "fp16", paramLabel = "DTYPE", description = "fp32, fp16 or bf16. Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Option(names = "--prefix", defaultValue = "256", paramLabel = "TOKENS",
            description = "KV-cache length at which forwards are costed. Default: ${DEFAULT-VALUE}.")
    int prefix;

    ModelShape shape() {
        return ModelShapes.resolve(config);
    }

    Dtype dtypeValue() {
        return Dtype.parse(dtype);
    }

    int prefixValue() {
        if (prefix < 0) throw new IllegalArgumentException("--prefix must be >= 0, got " + prefix);
        return prefix;
    }
}
