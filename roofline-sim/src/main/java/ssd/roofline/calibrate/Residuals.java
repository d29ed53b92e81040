package ssd.roofline.calibrate;

import ssd.roofline.cost.ForwardImpl;
import ssd.roofline.cost.Workload;
import ssd.roofline.device.Device;
import ssd.roofline.time.TimeModel;

import java.util.ArrayList;
import java.util.List;

/** Predicted vs measured forward times of bench rows on a given device (no fitting). */
public final class Residuals {
    private Residuals() {
    }

    /**
     * Compares each row with the device's prediction. A row's measured copy bandwidth is not applied here:
     * the device carries the bandwidth it was calibrated with.
     */
    public static List<Residual> of(List<BenchRow> rows, Device device) {
        List<Residual> out = new ArrayList<>(rows.size());
        ForwardImpl impl = ForwardImpl.forDevice(device.name());
        for (BenchRow r : rows) {
            Workload w = impl.forward(r.shape(), r.dtype(), r.prefixLen(), r.newTokens());
            double ms = TimeModel.time(device, w, r.dtype()).seconds() * 1e3;
            out.add(new Residual(r, ms, ms / r.msPerForward() - 1));
        }
        return out;
    }

    public static double maxAbs(List<Residual> residuals) {
        double m = 0;
        for (Residual r : residuals) m = Math.max(m, Math.abs(r.relativeError()));
        return m;
    }

    public static double rms(List<Residual> residuals) {
        if (residuals.isEmpty()) return 0;
        double s = 0;
        for (Residual r : residuals) s += r.relativeError() * r.relativeError();
        return Math.sqrt(s / residuals.size());
    }
}
