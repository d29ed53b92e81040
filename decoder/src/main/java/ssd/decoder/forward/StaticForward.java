package ssd.decoder.forward;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import ssd.decoder.cache.KVCache;
import ssd.decoder.cache.KVStorage;
import ssd.decoder.model.GPT2Model;
import ssd.decoder.torch.HostToDevice;
import ssd.decoder.torch.Torch;

import java.util.function.IntUnaryOperator;

/**
 * The fixed-shape forward of one batch-size bucket on one {@link KVStorage}: static input tensors (token ids,
 * positions, cache slots, an attention mask over every slot), a static float32 logits output, and the eager run of
 * the computation that reads and writes only those tensors. Nothing it launches depends on a host integer that
 * changes per step, which is what makes it capturable as a CUDA graph ({@link CudaGraphForward}).
 *
 * <p>Inputs are staged in pinned host buffers allocated once ({@link HostToDevice}) and copied in asynchronously, so
 * loading a step never waits for the device. The device work is either ATen's ops or, for fp16 on CUDA, the fused
 * kernels of {@link FusedForward}, chosen when the forward is made.
 */
final class StaticForward implements AutoCloseable {
    /** The largest bucket; forwards of more tokens (long prefills) take the dynamic path. */
    static final int MAX_BUCKET = 128;

    private final GPT2Model model;
    private final KVStorage kv;
    private final int bucket;
    private final int slotCount;
    // Host staging: ids | positions | slots | limits as one long buffer, and the mask as bytes.
    private final long[] hostLongArray;
    private final byte[] hostMaskArray;
    private final HostToDevice stagedLongs;
    private final HostToDevice stagedMask;
    // Device tensors, allocated once; the forward reads and writes only these (and the storage's K/V).
    private final Tensor inputs;
    private final Tensor ids;
    private final Tensor positions;
    private final Tensor slots;
    /** {real rows, key limit}: what the fused kernels need to skip padding rows and unused slots. */
    private final Tensor limits;
    private final Tensor mask;
    /** The ATen path's additive mask (null for fused kernels, whose attention reads {@link #mask} itself). */
    private final Tensor bias;
    private final Tensor logits;
    private final FusedForward fused;

    /** @param fusedOptions the fused kernels' options, or null for ATen's ops */
    StaticForward(GPT2Model model, KVStorage kv, int bucket, FusedOptions fusedOptions) {
        if (bucket < 1 || bucket > MAX_BUCKET || bucket > kv.paddingSlots()) {
            throw new IllegalArgumentException("bucket " + bucket + " needs 1.." + Math.min(MAX_BUCKET, kv.paddingSlots()));
        }
        this.model = model;
        this.kv = kv;
        this.bucket = bucket;
        this.slotCount = kv.slots();
        Device device = model.device();
        hostLongArray = new long[3 * bucket + 2];
        hostMaskArray = new byte[bucket * slotCount];
        // Built in a scope of its own and retained: these live as long as the storage, not as the caller's scope.
        try (PointerScope scope = new PointerScope()) {
            stagedLongs = HostToDevice.longs(new long[]{3L * bucket + 2}, device);
            stagedMask = HostToDevice.bools(new long[]{bucket, slotCount}, device);
            inputs = stagedLongs.device();
            ids = keep(inputs.narrow(0, 0, bucket).view(1, bucket));
            positions = keep(inputs.narrow(0, bucket, bucket).view(1, bucket));
            slots = keep(inputs.narrow(0, 2L * bucket, bucket));
            limits = keep(inputs.narrow(0, 3L * bucket, 2));
            mask = stagedMask.device();
            bias = fusedOptions != null ? null : keep(Torch.zeros(new long[]{bucket, slotCount}, device, model.scalarType()));
            logits = keep(Torch.zeros(new long[]{bucket, model.config().vocabSize()}, device, torch.ScalarType.Float));
        }
        FusedForward f = null;
        if (fusedOptions != null) {
            try {
                f = new FusedForward(model, kv, bucket, fusedOptions, ids, positions, slots, mask, limits, logits);
            } catch (RuntimeException e) {
                closeTensors();
                throw e;
            }
        }
        fused = f;
    }

    /** The key of a static forward in its storage: one per bucket and kernel choice. */
    static String key(int bucket, boolean fusedKernels) {
        return "bucket " + bucket + (fusedKernels ? " fused" : " aten");
    }

    private static <P extends Pointer> P keep(P p) {
        p.retainReference();
        return p;
    }

    /** The smallest bucket (a power of two) that holds {@code n} tokens. */
    static int bucketFor(int n) {
        if (n < 1 || n > MAX_BUCKET) throw new IllegalArgumentException(n + " tokens are outside the static buckets 1.." + MAX_BUCKET);
        int b = 1;
        while (b < n) b <<= 1;
        return b;
    }

    int bucket() {
        return bucket;
    }

    Device device() {
        return model.device();
    }

    /**
     * Copies one step's inputs into the static tensors: the last {@code tokens.length} pending nodes of {@code cache}
     * (already registered), written from slot {@code firstSlot} on. Padding rows get token 0 at position 0, their own
     * padding slot, and a mask that lets them attend only to that slot (so no row is fully masked).
     */
    void load(KVCache cache, int[] tokens, long[] tokenPositions, int firstSlot) {
        int n = tokens.length;
        if (n > bucket) throw new IllegalArgumentException(n + " tokens do not fit bucket " + bucket);
        layOutInputs(hostLongArray, bucket, tokens, tokenPositions, firstSlot, kv::paddingSlot);
        cache.fillStaticMask(hostMaskArray, bucket, n);
        stagedLongs.put(hostLongArray);
        stagedMask.put(hostMaskArray);
        stagedLongs.upload();
        stagedMask.upload();
    }

    /**
     * Writes every element of one step's host inputs {@code [ids | positions | slots | real rows, key limit]} for a
     * bucket: real row i gets token i, its position and slot {@code firstSlot + i}, and the key limit is
     * {@code firstSlot + n}, so the real rows' slots are consecutive and end at the key limit (the fused tree attention
     * relies on this to read the batch's own K/V from the qkv rows: attention_rows in gpt2_fused.cu). Padding rows get
     * token 0 at position 0 and their own padding slot.
     */
    static void layOutInputs(long[] host, int bucket, int[] tokens, long[] tokenPositions, int firstSlot, IntUnaryOperator paddingSlot) {
        int n = tokens.length;
        for (int i = 0; i < bucket; i++) {
            boolean real = i < n;
            host[i] = real ? tokens[i] : 0;
            host[bucket + i] = real ? tokenPositions[i] : 0;
            host[2 * bucket + i] = real ? firstSlot + i : paddingSlot.applyAsInt(i);
        }
        host[3 * bucket] = n;
        host[3 * bucket + 1] = firstSlot + n; // no real row attends past its own slot
    }

    /** Runs the forward eagerly on the current stream; every temporary is freed before returning. */
    void compute() {
        if (fused != null) {
            fused.run();
            return;
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            // The additive mask once per forward instead of a bool-to-float conversion in every layer's attention.
            bias.fill_(new Scalar(Double.NEGATIVE_INFINITY));
            bias.masked_fill_(mask, new Scalar(0.0));
            atenForward();
        }
    }

    /**
     * ATen's ops on the static tensors: K/V go to {@code slots} of every layer, attention runs over the storage's full
     * width under the additive mask, float32 logits land in {@link #logits}. No host integer varies between calls.
     */
    private void atenForward() {
        long n = ids.size(1);
        Tensor x = model.embed(ids, positions);
        TensorOptional maskOpt = new TensorOptional(bias);
        GPT2Model.Attention attention = (l, q, newKv) -> {
            kv.keysAndValues(l).index_copy_(3, slots, newKv);
            return torch.scaled_dot_product_attention(q, kv.keys(l), kv.values(l), maskOpt, 0.0, false, new DoubleOptional(), false);
        };
        for (int l = 0; l < model.config().nLayer(); l++) x = model.block(l, x, 1, n, attention);
        logits.copy_(model.logits(x).view(n, model.config().vocabSize()));
    }

    /** The static logits output [bucket, vocab] float32 (owned by this forward; overwritten by every run). */
    Tensor logits() {
        return logits;
    }

    /** A copy of the first {@code n} rows of the logits, safe from the next run overwriting the static output. */
    Tensor logitsCopy(int n) {
        try (Tensor rows = logits.narrow(0, 0, n)) {
            return rows.clone();
        }
    }

    @Override
    public void close() {
        if (fused != null) fused.close();
        closeTensors();
    }

    private void closeTensors() {
        for (Tensor t : new Tensor[]{ids, positions, slots, limits, bias, logits}) {
            if (t != null) t.close();
        }
        stagedLongs.close();
        stagedMask.close();
    }
}
