package ssd.decoder.model;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a GPT-2 model as libtorch tensors. Linear weights are stored [out, in] (torch.nn.Linear layout);
 * the Hugging Face Conv1D [in, out] layout is converted at load and save time by {@link GPT2Checkpoint}.
 */
public record GPT2Weights(GPT2Config config, Tensor wte, Tensor wpe, List<Block> blocks, Tensor lnfWeight, Tensor lnfBias)
        implements AutoCloseable {

    /** One transformer block. */
    public record Block(Tensor ln1Weight, Tensor ln1Bias, Tensor attnWeight, Tensor attnBias, Tensor attnProjWeight,
                        Tensor attnProjBias, Tensor ln2Weight, Tensor ln2Bias, Tensor fcWeight, Tensor fcBias,
                        Tensor mlpProjWeight, Tensor mlpProjBias) {
        /** Tensors per block, the length of {@link #tensors()}. */
        static final int TENSORS = 12;

        List<Tensor> tensors() {
            return List.of(ln1Weight, ln1Bias, attnWeight, attnBias, attnProjWeight, attnProjBias, ln2Weight, ln2Bias,
                    fcWeight, fcBias, mlpProjWeight, mlpProjBias);
        }

        /** The inverse of {@link #tensors()}: a block from its tensors in that order. */
        static Block of(List<Tensor> t) {
            return new Block(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5), t.get(6), t.get(7), t.get(8),
                    t.get(9), t.get(10), t.get(11));
        }
    }

    /** Every parameter, embeddings first (the order an optimizer sees them). */
    public List<Tensor> parameters() {
        List<Tensor> all = new ArrayList<>();
        all.add(wte);
        all.add(wpe);
        for (Block b : blocks) all.addAll(b.tensors());
        all.add(lnfWeight);
        all.add(lnfBias);
        return all;
    }

    /** The inverse of {@link #parameters()}: weights of {@code config} from tensors in that order. */
    public static GPT2Weights fromParameters(GPT2Config config, List<Tensor> p) {
        int expected = 4 + Block.TENSORS * config.nLayer();
        if (p.size() != expected) throw new IllegalArgumentException(p.size() + " tensors for a model with " + expected + " parameters");
        List<Block> blocks = new ArrayList<>();
        for (int l = 0; l < config.nLayer(); l++) {
            int o = 2 + Block.TENSORS * l;
            blocks.add(Block.of(p.subList(o, o + Block.TENSORS)));
        }
        return new GPT2Weights(config, p.get(0), p.get(1), List.copyOf(blocks), p.get(p.size() - 2), p.get(p.size() - 1));
    }

    public torch.ScalarType scalarType() {
        return wte.scalar_type();
    }

    public Device device() {
        return wte.device();
    }

    /** Bytes of all parameters in their stored dtype. */
    public long byteCount() {
        long n = 0;
        for (Tensor t : parameters()) n += t.nbytes();
        return n;
    }

    /**
     * GPT-2 initialisation: N(0, std) for matrices and embeddings, zero biases, unit layer-norm gains, and the
     * residual output projections scaled by 1/sqrt(2 n_layer) as in the GPT-2 paper. Deterministic in {@code seed}.
     */
    public static GPT2Weights random(GPT2Config c, long seed, double std, Device device, torch.ScalarType dtype) {
        torch.manual_seed(seed);
        double residualStd = std / Math.sqrt(2.0 * c.nLayer());
        int d = c.nEmbd(), inner = c.nInner();
        List<Block> blocks = new ArrayList<>();
        Tensor wte = normal(new long[]{c.vocabSize(), d}, std, device, dtype);
        Tensor wpe = normal(new long[]{c.nPositions(), d}, std / 2, device, dtype);
        for (int l = 0; l < c.nLayer(); l++) {
            blocks.add(new Block(
                    ones(d, device, dtype), zeros(d, device, dtype),
                    normal(new long[]{3L * d, d}, std, device, dtype), zeros(3 * d, device, dtype),
                    normal(new long[]{d, d}, residualStd, device, dtype), zeros(d, device, dtype),
                    ones(d, device, dtype), zeros(d, device, dtype),
                    normal(new long[]{inner, d}, std, device, dtype), zeros(inner, device, dtype),
                    normal(new long[]{d, inner}, residualStd, device, dtype), zeros(d, device, dtype)));
        }
        return new GPT2Weights(c, wte, wpe, List.copyOf(blocks), ones(d, device, dtype), zeros(d, device, dtype));
    }

    private static Tensor normal(long[] shape, double std, Device device, torch.ScalarType dtype) {
        try (Tensor r = torch.randn(shape); Tensor s = r.mul(new org.bytedeco.pytorch.Scalar(std))) {
            return s.to(device, dtype).contiguous();
        }
    }

    private static Tensor ones(long n, Device device, torch.ScalarType dtype) {
        try (Tensor r = torch.ones(n)) {
            return r.to(device, dtype).contiguous();
        }
    }

    private static Tensor zeros(long n, Device device, torch.ScalarType dtype) {
        try (Tensor r = torch.zeros(n)) {
            return r.to(device, dtype).contiguous();
        }
    }

    /** New weights with {@code f} applied to every parameter (same structure). */
    public GPT2Weights map(java.util.function.UnaryOperator<Tensor> f) {
        // Blocks first, then the rest: the order seeded callers (noisy test drafts) have always drawn in.
        List<Block> bs = blocks.stream().map(b -> Block.of(b.tensors().stream().map(f).toList())).toList();
        return new GPT2Weights(config, f.apply(wte), f.apply(wpe), bs, f.apply(lnfWeight), f.apply(lnfBias));
    }

    /** A copy in another dtype and/or device. */
    public GPT2Weights to(Device device, torch.ScalarType dtype) {
        return map(t -> t.to(device, dtype).contiguous());
    }

    @Override
    public void close() {
        for (Tensor t : parameters()) t.close();
    }
}
