package ssd.roofline.ncu;

/**
 * One kernel group (or {@code total}) of one profiled forward against the cost model.
 *
 * @param group            linears, attention, lm_head, other or total
 * @param kernels          measured kernels in the group
 * @param measuredRead     DRAM bytes read (counters)
 * @param measuredWrite    DRAM bytes written (counters)
 * @param countedFlops     FLOPs the counters saw executed (tensor + other; NaN when the run collected bytes only)
 * @param predictedFlops   the cost model's FLOPs (the useful work of the rows the kernels process)
 * @param predictedBytes   the cost model's DRAM bytes
 */
public record IntensityRow(String group, int kernels, double measuredRead, double measuredWrite, double countedFlops,
                           double predictedFlops, double predictedBytes) {

    public double measuredBytes() {
        return measuredRead + measuredWrite;
    }

    /** The model's FLOPs over the measured bytes: the work the forward does per byte it really moved. */
    public double measuredIntensity() {
        return measuredBytes() == 0 ? Double.NaN : predictedFlops / measuredBytes();
    }

    public double predictedIntensity() {
        return predictedBytes == 0 ? Double.NaN : predictedFlops / predictedBytes;
    }

    /** measured / predicted intensity - 1 (= predicted / measured bytes - 1). */
    public double intensityError() {
        return measuredIntensity() / predictedIntensity() - 1;
    }

    /** Executed over useful FLOPs: tensor-core tile padding and work the model does not count make it exceed 1. */
    public double executedOverModelFlops() {
        return predictedFlops == 0 ? Double.NaN : countedFlops / predictedFlops;
    }
}
