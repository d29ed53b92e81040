package ssd.decoder.forward;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import ssd.decoder.cache.KVCache;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.torch.Torch;

/**
 * The reference path: ATen ops whose shapes follow the batch and the cache length, a boolean mask for
 * scaled_dot_product_attention (none when every row may see every key). Every temporary lives in a
 * {@link PointerScope}, so native memory is flat across a decode loop.
 */
public final class EagerForward implements Forward {
    private final GPT2Model model;
    private final ForwardPlan plan;

    EagerForward(GPT2Model model, ForwardPlan plan) {
        this.model = model;
        this.plan = plan;
    }

    @Override
    public GPT2Model model() {
        return model;
    }

    @Override
    public ForwardPlan plan() {
        return plan;
    }

    @Override
    public KVCache newCache(int maxPending) {
        return KVCache.unpadded(model.config(), maxPending, model.device(), model.scalarType());
    }

    @Override
    public Logits run(KVCache cache, int[] tokens, int[] parents) {
        checkBatch(model, tokens, parents);
        return runDynamic(model, cache, tokens, parents);
    }

    /** The dynamic forward on any cache (also what a fixed-shape forward falls back to above its largest bucket). */
    static Logits runDynamic(GPT2Model model, KVCache cache, int[] tokens, int[] parents) {
        int n = tokens.length;
        int slot = cache.length() + cache.pendingCount();
        long[] positions = cache.appendPending(parents);
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            byte[] maskBytes = cache.maskForLast(n);
            int keysAttended = slot + n;
            Tensor mask = maskBytes == null ? null : Torch.bools(maskBytes, new long[]{n, keysAttended}, model.device());
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) ids[i] = tokens[i];
            Tensor x = model.embed(Torch.longs(ids, model.device()).view(1, n), Torch.longs(positions, model.device()).view(1, n));
            GPT2Model.Attention attention = (l, q, kv) -> {
                cache.keysAndValues(l).narrow(3, slot, n).copy_(kv);
                Tensor keys = cache.keys(l).narrow(2, 0, keysAttended);
                Tensor values = cache.values(l).narrow(2, 0, keysAttended);
                return GPT2Model.dynamicShapeAttention(q, keys, values, mask, false);
            };
            for (int l = 0; l < model.config().nLayer(); l++) x = model.block(l, x, 1, n, attention);
            Tensor logits = model.logits(x).view(n, model.config().vocabSize()).to(org.bytedeco.pytorch.global.torch.ScalarType.Float);
            logits.retainReference();
            return new Logits(logits, n, model.config().vocabSize(), ForwardStats.of(model, n, keysAttended));
        } catch (RuntimeException e) {
            cache.dropLastPending(n);
            throw e;
        }
    }

    /** Refuses an empty batch, mismatched parents and token ids outside the vocabulary, naming the value. */
    static void checkBatch(GPT2Model model, int[] tokens, int[] parents) {
        if (tokens.length == 0) throw new IllegalArgumentException("forward needs at least one token");
        if (tokens.length != parents.length) throw new IllegalArgumentException(tokens.length + " tokens but " + parents.length + " parents");
        int vocab = model.config().vocabSize();
        for (int t : tokens) {
            if (t < 0 || t >= vocab) throw new IllegalArgumentException("token id " + t + " is outside the model's vocabulary [0, " + vocab + ")");
        }
    }

    @Override
    public int maxFixedRows() {
        return Integer.MAX_VALUE;
    }

    @Override
    public String pathFor(int rows) {
        return "eager ATen";
    }

    @Override
    public boolean fusedKernels(int rows) {
        return false;
    }

    @Override
    public void warmUp(int maxPending, int maxRows, java.util.List<Readout> readouts) {
    }

    @Override
    public long fixedShapeRuns() {
        return 0;
    }

    @Override
    public void close() {
    }
}
