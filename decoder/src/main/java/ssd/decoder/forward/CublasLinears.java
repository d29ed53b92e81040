package ssd.decoder.forward;

import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Tree-batch linears of a {@link FusedForward} run by cuBLAS through ATen, on the current stream (so they are captured
 * with the fused kernels around them). From 32 token rows cuBLAS's tensor-core GEMMs beat the fused single-tile and
 * cluster linears (docs/log/2026-11-benchmarks-notebook.md). They have no residual or q / K / V epilogue, so the forward's layer_norm
 * kernels add the residual and the tree attention kernel copies K/V into the cache. The out-proj and proj, whose
 * outputs only join the residual stream, are split over K into float32 partials that the next layer_norm sums, so
 * no reduction kernel runs between them. Rounding is the ATen path's: a linear's output x W^T + b is rounded to fp16
 * once; the fc's GELU is cuBLASLt's bias+GELU epilogue, as in {@code GPT2Model}.
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
     * partials[s] = in[:, s K/S .. (s+1) K/S) W[:, same]^T in float32 for s &lt; S = {@code partials.size(0)}: a linear
     * split over K as one strided-batched GEMM, with neither bias nor reduction, which the next layer_norm kernel
     * adds (sum + bias, rounded to fp16 once, then the residual). At 64 rows on an H200 this beat {@code addmm}, which
     * runs the proj as a split-K GEMM plus a reduction kernel of its own (docs/log/2026-11-benchmarks-notebook.md).
     */
    static ForwardStep splitK(Tensor in, Tensor weight, Tensor partials) {
        Tensor weightSlices = keep(weightSlices(weight, partials.size(0)));
        Tensor inSlices = keep(inputSlices(in, partials.size(0)));
        return new Step(inSlices, weightSlices) {
            @Override
            void issue(Scalar one) {
                torch.bmm_out(partials, inSlices, weightSlices, torch.ScalarType.Float);
            }
        };
    }

    /**
     * The MLP: hidden = gelu(in W_fc^T + b_fc), then proj as {@link #splitK} into {@code partials}; the hidden rows in
     * memory ATen takes from its caching allocator (in a graph's pool while capturing) and frees once proj is issued.
     */
    static ForwardStep mlp(Tensor in, Tensor fcWeight, Tensor fcBias, Tensor projWeight, Tensor partials) {
        Tensor fcT = keep(fcWeight.t());
        Tensor projSlices = keep(weightSlices(projWeight, partials.size(0)));
        return new Step(fcT, projSlices) {
            @Override
            void issue(Scalar one) {
                Tensor hidden = fcBias._addmm_activation(in, fcT, one, one, true);
                torch.bmm_out(partials, inputSlices(hidden, partials.size(0)), projSlices, torch.ScalarType.Float);
            }
        };
    }

    /** W [N, K] as {@code splits} slices of K, [S, K/S, N], each the transposed (column-major) view bmm takes. */
    private static Tensor weightSlices(Tensor weight, long splits) {
        long n = weight.size(0), k = weight.size(1);
        if (k % splits != 0) throw new IllegalArgumentException("K = " + k + " does not split into " + splits + " slices");
        return weight.view(n, splits, k / splits).permute(1, 2, 0);
    }

    /** X [rows, K] as {@code splits} slices of K, [S, rows, K/S] with row stride K (a view, no copy). */
    private static Tensor inputSlices(Tensor in, long splits) {
        long rows = in.size(0), k = in.size(1);
        return in.view(rows, splits, k / splits).permute(1, 0, 2);
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
