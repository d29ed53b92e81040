package ssd.harness.check;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A kernel the profile can be cut at: ATen's fill of a one-element int16 tensor ("FillFunctor&lt;short&gt;"), which no
 * forward or decoder launches. Synchronizes, so the marker and what precedes it have finished.
 */
final class ProbeMarker {
    private ProbeMarker() {
    }

    static void launch(Device device) {
        try (PointerScope scope = new PointerScope()) {
            var t = torch.full(new long[]{1}, new Scalar((short) 7), new TensorOptions(torch.ScalarType.Short).device(new org.bytedeco.pytorch.DeviceOptional(device)));
            t.cpu();
        }
    }
}
