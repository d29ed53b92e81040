package ssd.roofline.cost;

/**
 * One kernel launch: FLOPs and DRAM bytes, the bytes split by what they are.
 *
 * @param name            e.g. "qkv", "attention", "lm_head"
 * @param layer           transformer block index, or -1 outside the blocks
 * @param flops           floating-point operations (a multiply-add is 2)
 * @param weightBytes     parameter bytes read
 * @param kvBytes         KV-cache bytes read or written
 * @param activationBytes everything else: activations, logits, masks, token ids
 */
public record Kernel(String name, int layer, long flops, long weightBytes, long kvBytes, long activationBytes) {

    public Kernel {
        if (flops < 0 || weightBytes < 0 || kvBytes < 0 || activationBytes < 0) {
            throw new IllegalArgumentException("kernel " + name + ": negative cost");
        }
    }

    public long bytes() {
        return weightBytes + kvBytes + activationBytes;
    }

    /** FLOPs per DRAM byte. */
    public double arithmeticIntensity() {
        return bytes() == 0 ? 0 : (double) flops / bytes();
    }
}
