package ssd.decoder.forward;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.LayoutOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.util.Locale;

/**
 * What of a forward's next-token logits crosses to the host, reduced on the device: a few numbers per row instead of
 * a vocabulary's worth. A fixed-shape forward captures the reduction in a CUDA graph of its own, replayed right after
 * the forward's, and copies its output back in one asynchronous transfer ({@link Forward#score}).
 *
 * <p>Every row comes back as {@link #columns} floats (token ids are exact in float32: they are below 2^24).
 */
public sealed interface Readout {
    /** Device tensor [rows, columns] float32 from logits [rows, vocab] float32 (a new tensor; the caller frees it). */
    Tensor apply(Tensor logits);

    /** Floats per row for a vocabulary of {@code vocab}. */
    int columns(int vocab);

    /** Names the reduction and its parameters (a cache key for its captured graph). */
    String key();

    /** Each row's argmax: the first index on exact ties, as torch.argmax (greedy decoding's token). */
    static Readout argmax() {
        return Argmax.INSTANCE;
    }

    /**
     * Each row's {@code width} most probable tokens under a sampling distribution, then their ids: the logits divided
     * by {@code temperature}, the {@code topK} largest kept (all when 0; on exact ties at the k-th value, either),
     * probabilities normalised over what is kept: {@code exp(z_i - logsumexp(kept z))}. Row layout:
     * {@code width} probabilities, then {@code width} token ids, most probable first.
     */
    static Readout top(double temperature, int topK, int width) {
        return new Top(temperature, topK, width);
    }

    final class Argmax implements Readout {
        private static final Argmax INSTANCE = new Argmax();

        private Argmax() {
        }

        @Override
        public Tensor apply(Tensor logits) {
            try (PointerScope scope = new PointerScope()) {
                Tensor ids = logits.argmax(new LongOptional(1), true).to(torch.ScalarType.Float);
                ids.retainReference();
                return ids;
            }
        }

        @Override
        public int columns(int vocab) {
            return 1;
        }

        @Override
        public String key() {
            return "argmax";
        }
    }

    record Top(double temperature, int topK, int width) implements Readout {
        public Top {
            if (!(temperature > 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
            if (topK < 0) throw new IllegalArgumentException("top-k must be 0 (all) or positive, got " + topK);
            if (width < 1) throw new IllegalArgumentException("a top readout needs a width of at least 1, got " + width);
        }

        /** Tokens kept by the distribution for a vocabulary of {@code vocab}. */
        public int kept(int vocab) {
            return topK == 0 ? vocab : Math.min(topK, vocab);
        }

        /** Tokens read back per row: at most those kept. */
        public int width(int vocab) {
            return Math.min(width, kept(vocab));
        }

        @Override
        public int columns(int vocab) {
            return 2 * width(vocab);
        }

        @Override
        public Tensor apply(Tensor logits) {
            int vocab = Math.toIntExact(logits.size(1));
            int k = kept(vocab), w = width(vocab);
            try (PointerScope scope = new PointerScope()) {
                Tensor scaled = temperature == 1.0 ? logits : logits.div(new Scalar(temperature));
                // Keeping the whole vocabulary needs only the first w sorted and the whole row's normaliser.
                Tensor[] top = largest(scaled, k == vocab ? w : k, CHUNKS);
                Tensor norm = (k == vocab ? scaled : top[0]).logsumexp(new long[]{1}, true);
                Tensor probs = top[0].narrow(1, 0, w).sub(norm).exp();
                Tensor ids = top[1].narrow(1, 0, w).to(torch.ScalarType.Float);
                Tensor out = torch.cat(new TensorVector(probs, ids), 1);
                out.retainReference();
                return out;
            }
        }

        @Override
        public String key() {
            return String.format(Locale.ROOT, "top T=%s k=%d w=%d", temperature, topK, width);
        }

        /** Chunks a long row is split into for {@link #largest}: enough blocks to fill the device for one row. */
        static final int CHUNKS = 64;

        /**
         * The {@code k} largest values of each row of {@code x} [rows, n], largest first, and their column indices.
         * torch.topk gives a row to one thread block, so on one row of a 50,257-token vocabulary it runs several
         * passes over 50k values on one SM (~0.15 ms on an H200). Here a wide row is split into {@code chunks} chunks
         * (padded with -inf), each chunk's top k found in parallel, and the top k of those candidates kept: the same
         * values; on exact ties the kept index may differ from torch.topk's.
         */
        static Tensor[] largest(Tensor x, int k, int chunks) {
            long rows = x.size(0), n = x.size(1);
            long chunk = (n + chunks - 1) / chunks;
            if (n < 8L * chunks * Math.max(k, 8) || chunk < k) {
                T_TensorTensor_T top = x.topk(k, 1, true, true);
                return new Tensor[]{top.get0(), top.get1()};
            }
            Tensor padded = chunk * chunks == n ? x : torch.constant_pad_nd(x, new long[]{0, chunk * chunks - n}, new Scalar(Double.NEGATIVE_INFINITY));
            T_TensorTensor_T local = padded.reshape(rows, chunks, chunk).topk(k, 2, true, true);
            Tensor offsets = torch.arange(new Scalar(0), new Scalar(chunk * chunks), new Scalar(chunk),
                    new ScalarTypeOptional(torch.ScalarType.Long), new LayoutOptional(), new DeviceOptional(x.device()), new BoolOptional());
            Tensor columns = local.get1().add(offsets.view(1, chunks, 1)).view(rows, (long) chunks * k);
            T_TensorTensor_T best = local.get0().reshape(rows, (long) chunks * k).topk(k, 1, true, true);
            return new Tensor[]{best.get0(), columns.gather(1, best.get1())};
        }
    }
}
