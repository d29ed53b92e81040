package ssd.roofline.calibrate;

import ssd.roofline.device.Device;

import java.util.List;

/**
 * The result of fitting a device to a bench file.
 *
 * @param device    the fitted device (write it with {@code DeviceJson.write})
 * @param residuals predicted vs measured for every bench row
 * @param notes     what the fit could and could not determine, and data warnings
 */
public record Calibration(Device device, List<Residual> residuals, List<String> notes) {

    public Calibration {
        residuals = List.copyOf(residuals);
        notes = List.copyOf(notes);
    }

    public double maxAbsRelativeError() {
        return Residuals.maxAbs(residuals);
    }

    public double rmsRelativeError() {
        return Residuals.rms(residuals);
    }
}
