package ssd.tables;

/**
 * An implementation profile that predictions are made for (e.g. "paper": the paper's eager PyTorch on its RTX 4090),
 * the device it is predicted on, and a one-line description of where its costs come from.
 */
public record Profile(String name, String device, String description) {
    public Profile {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a profile needs a name");
        if (device == null || device.isBlank()) throw new IllegalArgumentException("profile " + name + " needs a device");
        if (description == null) description = "";
    }

    /** The column header: "predicted rtx4090 (paper)". */
    public String header() {
        return "predicted " + device + " (" + name + ")";
    }
}
