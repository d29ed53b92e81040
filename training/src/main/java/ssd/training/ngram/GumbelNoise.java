package ssd.training.ngram;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * How a sampling step draws log E for Gumbel-max (E ~ Exp(1) per vocabulary entry, G = -log E): two exact ways, the
 * cheaper one per device. Both are limited only by float32 resolution of the underlying uniform draws, as
 * {@code torch.multinomial} is.
 */
enum GumbelNoise {
    /**
     * {@code exponential_} then {@code log_}: two kernels, and the very draws {@code torch.multinomial} makes for one
     * sample from the same generator. For CUDA, where the exponential costs what a uniform does.
     */
    EXPONENTIAL {
        @Override
        void fillLogExponential(Tensor buffer, GeneratorOptional generator) {
            buffer.exponential_(1.0, generator).log_();
        }
    },
    /**
     * log(-log U) with U uniform, since -log U ~ Exp(1). For the CPU, where libtorch's {@code uniform_} costs about a
     * tenth of its {@code exponential_} (4.9 against 47 ns per element, measured on this project's 2-core CI VM).
     */
    UNIFORM {
        @Override
        void fillLogExponential(Tensor buffer, GeneratorOptional generator) {
            buffer.uniform_(0.0, 1.0, generator).log_().neg_().log_();
        }
    };

    /** Fills {@code buffer} (float32) with log E, E ~ Exp(1) independently per element. */
    abstract void fillLogExponential(Tensor buffer, GeneratorOptional generator);

    static GumbelNoise forDevice(Device device) {
        return device.is_cuda() ? EXPONENTIAL : UNIFORM;
    }
}
