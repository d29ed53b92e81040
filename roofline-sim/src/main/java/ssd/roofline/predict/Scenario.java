package ssd.roofline.predict;

import ssd.common.Dtype;
import ssd.roofline.ModelShape;
import ssd.roofline.device.Device;

/**
 * Everything a what-if needs besides the varied quantity.
 *
 * @param device     where it runs
 * @param oracle     oracle shape
 * @param draft      draft shape
 * @param dtype      dtype of both models
 * @param prefixLen  KV length at which steps are costed (steady state mid-completion)
 * @param acceptance assumed draft quality
 * @param options    costs outside forwards
 */
public record Scenario(Device device, ModelShape oracle, ModelShape draft, Dtype dtype, int prefixLen,
                       AcceptanceModel acceptance, PredictOptions options) {

    public Scenario withDevice(Device d) {
        return new Scenario(d, oracle, draft, dtype, prefixLen, acceptance, options);
    }

    public Scenario withDraft(ModelShape d) {
        return new Scenario(device, oracle, d, dtype, prefixLen, acceptance, options);
    }
}
