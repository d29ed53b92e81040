package ssd.decoder.model;

import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Tree-batch linears of a {@link FusedForward} run by cuBLAS through ATen, on the current stream (so they are captured
 * with the fused kernels around them). At 64 token rows cuBLAS's tensor-core GEMMs beat the fused single-tile and
 * cluster linears (docs/benchmarks.md). They have no residual or q / K / V epilogue, so the forward's layer_norm
 * kernels add the residual and the tree attention kernel copies K/V into the cache. Rounding is the ATen path's:
 * {@code addmm} rounds x W^T + b to fp16 once; the fc's GELU is cuBLASLt's bias+GELU epilogue, as in {@link GPT2Model}.
 */
final class CublasLinears {
    private CublasLinears() {
    }

    /** out = in W^T + bias, into the fixed tensor {@code out}. */
    static ForwardStep affine(Tensor in, Tensor weight, Tensor bias, Tensor out) {
        Tensor weightT = keep(weight.t());
        return new Step(weightT) {
            @Override
            void issue(Scalar one) {
                torch.addmm_out(out, bias, in, weightT, one, one);
            }
        };
    }

    /**
     * out = gelu(in W_fc^T + b_fc) W_proj^T + b_proj: the MLP's two linears, the hidden rows in memory ATen takes from
     * its caching allocator (in a graph's pool while capturing) and frees once the second is issued.
     */
    static ForwardStep mlp(Tensor in, Tensor fcWeight, Tensor fcBias, Tensor projWeight, Tensor projBias, Tensor out) {
        Tensor fcT = keep(fcWeight.t()), projT = keep(projWeight.t());
        return new Step(fcT, projT) {
            @Override
            void issue(Scalar one) {
                Tensor hidden = fcBias._addmm_activation(in, fcT, one, one, true);
                torch.addmm_out(out, projBias, hidden, projT, one, one);
            }
        };
    }

    /**
     * out = in wte[0, aligned)^T in fp16: the LM head's first {@code aligned} columns (a multiple of 8, where cuBLAS's
     * fast kernels apply; on GPT-2's 50257-wide vocabulary the full width took 262 against 37 us at 64 rows on an
     * H200). The widen_logits kernel finishes the head.
     */
    static ForwardStep alignedLogits(Tensor in, Tensor wte, int aligned, Tensor out) {
        Tensor wteT = keep(wte.narrow(0, 0, aligned).t());
        return new Step(wteT) {
            @Override
            void issue(Scalar one) {
                torch.mm_out(out, in, wteT);
            }
        };
    }

    private static Tensor keep(Tensor t) {
        t.retainReference();
        return t;
    }

    /** A step holding transposed weight views; each run frees its ATen temporaries (a stream-ordered free). */
    private abstract static class Step implements ForwardStep {
        private final Tensor[] views;

        Step(Tensor... views) {
            this.views = views;
        }

        abstract void issue(Scalar one);

        @Override
        public final void run(CUstream_st stream) {
            // ATen issues on the current stream, which is the one the forward runs on.
            try (PointerScope scope = new PointerScope()) {
                issue(new Scalar(1));
            }
        }

        @Override
        public final void close() {
            for (Tensor t : views) t.releaseReference();
        }
    }
}
