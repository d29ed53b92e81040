package ssd.harness.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ssd.roofline.decode.HostCostFit;
import ssd.roofline.decode.HostCosts;
import ssd.roofline.device.Device;
import ssd.roofline.device.DeviceJson;
import ssd.roofline.io.Json;
import ssd.roofline.io.JsonFields;

import java.nio.file.Path;

/** A fitted decoder as one JSON file: {"device": the forward model with its per-kernel cost, "host": the host costs}. */
final class HostCostsJson {
    private HostCostsJson() {
    }

    static void write(HostCostFit fit, Path file) {
        ObjectNode o = Json.object();
        o.set("device", DeviceJson.toJson(fit.device()));
        o.set("host", fit.host().toJson());
        Json.write(o, file);
    }

    static HostCostFit read(Path file) {
        JsonNode root = JsonFields.requireObject(Json.read(file), file.toString());
        Device d = DeviceJson.fromJson(JsonFields.requireField(root, "device", file.toString()), file + ": device");
        return new HostCostFit(d, HostCosts.fromJson(JsonFields.requireField(root, "host", file.toString()), file + ": host"));
    }
}
