package ssd.training.ngram;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Context;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.model.GPT2Config;
import ssd.decoder.model.GPT2Weights;

/**
 * GPT-2's forward for batched sampling: B sequences advance one token per step on a K/V cache allocated once, with no
 * host work per step beyond launching kernels (the position embedding is a view of a wpe row, the new K/V go in with one
 * copy per layer, nothing is read back). On CUDA the LM head is padded to a multiple of 64 rows, as in training
 * ({@code ComputeMode}): 50257 rows leave the matmul's leading dimension unaligned and cuBLAS falls back to slow kernels.
 * The same arithmetic as {@code GPT2Model.forwardFull}, one position at a time.
 */
final class SamplingForward implements AutoCloseable {
    /** Row multiple of the padded LM head on CUDA. */
    private static final int CUDA_VOCAB_MULTIPLE = 64;

    private final GPT2Weights w;
    private final GPT2Config c;
    private final int batch;
    private final int capacity;
    private final boolean cuda;
    /** Per layer [2, batch, heads, capacity, headDim]: keys then values, so one copy stores both. */
    private final Tensor[] kv;
    private final Tensor lmHead;

    SamplingForward(GPT2Weights weights, int batch, int capacity) {
        this.w = weights;
        this.c = weights.config();
        this.batch = batch;
        this.capacity = capacity;
        this.cuda = weights.device().is_cuda();
        kv = new Tensor[c.nLayer()];
        try (PointerScope scope = new PointerScope()) {
            TensorOptions options = new TensorOptions(weights.scalarType()).device(new org.bytedeco.pytorch.DeviceOptional(weights.device()));
            for (int l = 0; l < kv.length; l++) {
                // Never read before written: a step attends to positions 0..pos, all written by then.
                kv[l] = torch.empty(new long[]{2, batch, c.nHead(), capacity, c.headDim()}, options, new org.bytedeco.pytorch.MemoryFormatOptional());
                kv[l].retainReference();
            }
            int v = c.vocabSize(), padded = cuda ? (v + CUDA_VOCAB_MULTIPLE - 1) / CUDA_VOCAB_MULTIPLE * CUDA_VOCAB_MULTIPLE : v;
            lmHead = padded == v ? weights.wte() : torch.cat(new TensorVector(weights.wte(), torch.zeros(new long[]{padded - v, c.nEmbd()}).to(weights.device(), weights.scalarType())), 0);
            lmHead.retainReference();
        }
    }

    int batch() {
        return batch;
    }

    int capacity() {
        return capacity;
    }

    /**
     * Logits [batch, vocab] (model dtype; a view of the padded output) of the next token after {@code ids} [batch, 1]
     * at position {@code pos}; the caller's scope owns them. Positions must run 0, 1, 2, ... within one sampling pass.
     */
    Tensor step(Tensor ids, int pos) {
        if (pos < 0 || pos >= capacity) throw new IllegalArgumentException("position " + pos + " outside the cache of " + capacity);
        int d = c.nEmbd(), h = c.nHead(), hd = c.headDim();
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor x = torch.embedding(w.wte(), ids).add(w.wpe().narrow(0, pos, 1));
            for (int l = 0; l < c.nLayer(); l++) {
                GPT2Weights.Block b = w.blocks().get(l);
                Tensor heads = linear(layerNorm(x, b.ln1Weight(), b.ln1Bias()), b.attnWeight(), b.attnBias()).view(batch, 1, 3, h, hd);
                kv[l].narrow(3, pos, 1).copy_(heads.narrow(2, 1, 2).permute(2, 0, 3, 1, 4));
                Tensor q = heads.select(2, 0).transpose(1, 2);
                Tensor keys = kv[l].select(0, 0).narrow(2, 0, pos + 1), values = kv[l].select(0, 1).narrow(2, 0, pos + 1);
                Tensor attn = torch.scaled_dot_product_attention(q, keys, values, new TensorOptional(), 0.0, false, new DoubleOptional(), false)
                        .transpose(1, 2).reshape(batch, 1, d);
                x = x.add(linear(attn, b.attnProjWeight(), b.attnProjBias()));
                x = x.add(linear(mlpHidden(layerNorm(x, b.ln2Weight(), b.ln2Bias()), b), b.mlpProjWeight(), b.mlpProjBias()));
            }
            x = layerNorm(x, w.lnfWeight(), w.lnfBias());
            return torch.linear(x, lmHead).view(batch, lmHead.size(0)).narrow(1, 0, c.vocabSize());
        }
    }

    /**
     * Runs {@code body} with cuDNN attention off on CUDA: the key length grows every step, and cuDNN builds an
     * execution plan per shape (the decoder measured ~45 ms per call that way on an H200).
     */
    static <T> T withoutCudnnAttention(boolean cuda, java.util.function.Supplier<T> body) {
        if (!cuda) return body.get();
        Context context = torch.globalContext();
        boolean was = context.userEnabledCuDNNSDP();
        context.setSDPUseCuDNN(false);
        try {
            return body.get();
        } finally {
            context.setSDPUseCuDNN(was);
        }
    }

    private Tensor mlpHidden(Tensor x, GPT2Weights.Block b) {
        if (cuda && c.tanhGelu()) {
            // One cuBLASLt matmul with a bias + tanh-GELU epilogue instead of a matmul and an elementwise kernel.
            return b.fcBias()._addmm_activation(x.view(batch, c.nEmbd()), b.fcWeight().t(), new Scalar(1), new Scalar(1), true)
                    .view(batch, 1, b.fcWeight().size(0));
        }
        Tensor hidden = linear(x, b.fcWeight(), b.fcBias());
        return c.tanhGelu() ? torch.gelu(hidden, "tanh") : torch.gelu(hidden);
    }

    private static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return torch.linear(x, weight, new TensorOptional(bias));
    }

    private Tensor layerNorm(Tensor x, Tensor weight, Tensor bias) {
        return torch.layer_norm(x, new long[]{c.nEmbd()}, new TensorOptional(weight), new TensorOptional(bias), c.layerNormEpsilon(), true);
    }

    @Override
    public void close() {
        for (Tensor t : kv) t.close();
        lmHead.close();
    }
}
