package ssd.decoder.decoding;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.torch.Torch;

/**
 * The one definition of what a method samples from, computed on the device for every row of a logits tensor at once:
 * the logits divided by the temperature, the k largest kept (all of them when k = 0; on ties at the k-th value,
 * torch.topk's choice), and a softmax over those. Every method's oracle draws, the verifier's targets, the
 * speculative draft's proposals and the tests use this function, so their distributions agree by construction. Only
 * k probabilities and k token ids per row cross to the host, in one copy.
 */
public final class TargetDistribution {
    private TargetDistribution() {
    }

    /** Per row of {@code logits} [rows, vocab] (float32, any device), the sampling distribution of {@code sampling}. */
    public static SparseDistribution[] of(Tensor logits, SamplingConfig sampling) {
        if (sampling.isGreedy()) throw new IllegalArgumentException("greedy decoding has no sampling distribution (it takes the argmax)");
        int rows = Math.toIntExact(logits.size(0)), vocab = Math.toIntExact(logits.size(1));
        int k = sampling.topK() == 0 ? vocab : Math.min(sampling.topK(), vocab);
        float[] host;
        try (PointerScope scope = new PointerScope()) {
            T_TensorTensor_T top = logits.div(new Scalar(sampling.temperature())).topk(k, 1, true, true);
            Tensor probs = torch.softmax(top.get0(), 1, new ScalarTypeOptional());
            // Token ids are exact in float32 (below 2^24): ids and probabilities come back in one copy.
            host = Torch.toFloats(torch.cat(new TensorVector(probs, top.get1().to(torch.ScalarType.Float)), 1));
        }
        SparseDistribution[] out = new SparseDistribution[rows];
        for (int r = 0; r < rows; r++) {
            int base = r * 2 * k;
            int[] tokens = new int[k];
            double[] probs = new double[k];
            for (int j = 0; j < k; j++) {
                probs[j] = host[base + j];
                tokens[j] = (int) host[base + k + j];
            }
            out[r] = new SparseDistribution(tokens, probs);
        }
        return out;
    }
}
