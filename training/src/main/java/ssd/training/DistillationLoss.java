package ssd.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * The knowledge-distillation objective of a draft, per predicted token (mean over the micro-batch):
 * <pre>
 *   (1 - alpha) * CE(draft, next token) + alpha * T^2 * KL(softmax(oracle / T) || softmax(draft / T))
 * </pre>
 * computed in float32 over the real vocabulary (columns past {@code vocab}, the CUDA padding, are dropped).
 *
 * <p>Two phases, so a micro-batch holds one model's [tokens x vocab] logits at a time: {@link #teacher} turns the
 * oracle's logits into soft targets (no gradient), then {@link #loss} scores the draft's logits against them. The KL
 * is a soft-target cross-entropy minus the oracle's entropy: {@code KL(p||q) = -sum p log q + sum p log p}, the second
 * term a constant of the oracle. At T = 1 both terms share one log-softmax of the draft: the target is the mixture
 * {@code alpha * p + (1 - alpha) * onehot(next token)}, one cross-entropy call with probability targets, whose
 * backward is the fused {@code softmax - target}.
 */
public final class DistillationLoss {
    private DistillationLoss() {
    }

    /**
     * What the oracle contributes to one micro-batch. {@code targets} [n, vocab] float32: softmax(oracle / T), or at
     * T = 1 the mixture with the one-hot next token; {@code negEntropy}: mean over positions of sum p log p (a 0-dim
     * float32 tensor). Owns both tensors.
     */
    public record TeacherTargets(Tensor targets, Tensor negEntropy, boolean mixed) implements AutoCloseable {
        @Override
        public void close() {
            targets.close();
            negEntropy.close();
        }
    }

    /**
     * Soft targets from the oracle's logits [.., vocab or more] for the next tokens {@code nextTokens} ([n] ids, the
     * same positions). Runs without gradient and frees each [n x vocab] intermediate as soon as it is used.
     */
    public static TeacherTargets teacher(Tensor oracleLogits, Tensor nextTokens, int vocab, DistillSettings s) {
        long n = nextTokens.numel();
        boolean mixed = s.temperature() == 1.0;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor z = realVocabFloat(oracleLogits, n, vocab);
            Tensor scaled = mixed ? z : z.div(new Scalar(s.temperature()));
            if (!mixed) z.close();
            Tensor logp = torch.log_softmax(scaled, 1);
            scaled.close();
            Tensor p = logp.exp();
            Tensor plogp = p.mul(logp);
            logp.close();
            Tensor negEntropy = plogp.sum().div(new Scalar((double) n));
            plogp.close();
            if (mixed) {
                p.mul_(new Scalar(s.alpha()));
                // Made on the device: a host tensor copied over would wait for the GPU to drain, once per micro-batch.
                Tensor hard = torch.full(new long[]{n, 1}, new Scalar(1 - s.alpha()),
                        new TensorOptions(torch.ScalarType.Float).device(new DeviceOptional(p.device())));
                p.scatter_add_(1, nextTokens.reshape(n, 1), hard);
            }
            p.retainReference();
            negEntropy.retainReference();
            return new TeacherTargets(p, negEntropy, mixed);
        }
    }

    /**
     * The objective (a 0-dim float32 tensor with gradient) of the draft's logits [.., vocab or more] against the
     * oracle's {@code teacher} targets, {@code nextTokens} [n] the true next tokens. The caller owns the result.
     * The intermediates' handles are dropped before returning, so the backward holds only what autograd saved.
     */
    public static Tensor loss(Tensor draftLogits, TeacherTargets teacher, Tensor nextTokens, int vocab, DistillSettings s) {
        long n = nextTokens.numel();
        double alpha = s.alpha(), t = s.temperature();
        try (PointerScope scope = new PointerScope()) {
            Tensor q = realVocabFloat(draftLogits, n, vocab);
            Tensor result;
            if (teacher.mixed()) {
                // (1 - a) CE + a KL = CE(q, a p + (1 - a) onehot) + a sum p log p.
                Tensor ce = softCrossEntropy(q, teacher.targets());
                result = alpha == 0 ? ce : ce.add(teacher.negEntropy().mul(new Scalar(alpha)));
            } else {
                Tensor kl = softCrossEntropy(q.div(new Scalar(t)), teacher.targets()).add(teacher.negEntropy());
                Tensor distill = kl.mul(new Scalar(alpha * t * t));
                result = alpha == 1 ? distill : torch.cross_entropy_loss(q, nextTokens.reshape(n)).mul(new Scalar(1 - alpha)).add(distill);
            }
            q.close();
            result.retainReference();
            return result;
        }
    }

    /** -sum target log softmax(logits), mean over rows: cross-entropy with probability targets. */
    private static Tensor softCrossEntropy(Tensor logits, Tensor targetProbs) {
        return torch.cross_entropy_loss(logits, targetProbs, new TensorOptional(), 1 /* mean */, -100, 0.0);
    }

    /**
     * [n, vocab] float32 logits of the real vocabulary (padded columns dropped, bf16 widened), as one handle the caller
     * closes. It may alias {@code logits} when those are fp32 and unpadded: callers do not write to it.
     */
    static Tensor realVocabFloat(Tensor logits, long n, int vocab) {
        long last = logits.dim() - 1;
        if (logits.size(last) < vocab) {
            throw new IllegalArgumentException("logits have " + logits.size(last) + " columns, fewer than the vocabulary of " + vocab);
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor f = logits.narrow(last, 0, vocab).to(torch.ScalarType.Float).reshape(n, vocab);
            f.retainReference();
            return f;
        }
    }
}
