package ssd.roofline.decode;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.cost.ForwardImpl;
import ssd.roofline.cost.Workload;
import ssd.roofline.device.Device;
import ssd.roofline.device.Launch;
import ssd.roofline.time.TimeModel;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One forward on a device, memoized (a 164-prompt results file repeats the same shapes often): its predicted seconds,
 * its roofline part alone (sum over kernels of max(FLOPs / peak, bytes / bandwidth)) and its kernel count, with the
 * kernel set the device's name implies ({@link ForwardImpl#forDevice}).
 */
final class ForwardTimes {
    record Forward(double seconds, double rooflineSeconds, int kernels) {
    }

    private record Key(ModelShape shape, Dtype dtype, int prefix, int newTokens) {
    }

    private final Device device;
    private final Device rooflineOnly;
    private final ForwardImpl impl;
    private final Map<Key, Forward> memo = new HashMap<>();

    ForwardTimes(Device device) {
        this.device = Objects.requireNonNull(device);
        this.rooflineOnly = device.withLaunch(Launch.SERIAL).withOverheads(0, 0);
        this.impl = ForwardImpl.forDevice(device.name());
    }

    Forward forward(ModelShape shape, Dtype dtype, int prefix, int newTokens) {
        return memo.computeIfAbsent(new Key(shape, dtype, prefix, newTokens), k -> {
            Workload w = impl.forward(shape, dtype, prefix, newTokens);
            return new Forward(TimeModel.time(device, w, dtype).seconds(), TimeModel.time(rooflineOnly, w, dtype).seconds(), w.kernelCount());
        });
    }

    Device device() {
        return device;
    }
}
