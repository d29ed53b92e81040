import ssd.decoder.cache.*;
import ssd.decoder.forward.*;
import ssd.decoder.torch.*;
import ssd.decoder.model.*;
import ssd.decoder.bench.CopyProbe;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import java.util.Arrays;
public class CopyAfterForward {
  static double med(double[] x) { double[] s = x.clone(); Arrays.sort(s); return s[s.length / 2]; }
  public static void main(String[] a) throws Exception {
    TorchThreads.apply(Integer.parseInt(System.getenv().getOrDefault("SSD_THREADS", "0")));
    GPT2Config c = GPT2Config.of(50257, 1024, 768, 12, 12);
    try (GPT2Model model = new GPT2Model(GPT2Weights.random(c, 1, 0.02, new Device("cpu"), torch.ScalarType.Float));
         Forward m = Forward.create(model, ForwardPlan.eagerCpu());
         CopyProbe probe = new CopyProbe(new Device("cpu"), 512L << 20);
         KVCache cache = m.newCache(8)) {
      int[] prefix = new int[128]; for (int i = 0; i < 128; i++) prefix[i] = i * 7;
      m.run(cache, prefix, GPT2Model.chain(128, -1)).close(); cache.commit(KVCache.firstPending(128));
      for (int round = 0; round < 3; round++) {
        for (int pause : new int[]{0, 20}) {
          double[] ms = new double[20], bw = new double[20], alone = new double[20];
          for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            try (Logits l = m.run(cache, new int[]{42}, new int[]{-1})) { l.argmax(0); }
            ms[i] = (System.nanoTime() - t0) / 1e6; cache.discardPending();
            if (pause > 0) Thread.sleep(pause);
            bw[i] = probe.measure() / 1e9;
          }
          for (int i = 0; i < 20; i++) alone[i] = probe.measure() / 1e9;
          System.out.printf("pause %2d ms: forward median %.1f ms (%.1f GB/s); copy after forward median %.1f GB/s; copies back to back median %.1f max %.1f%n",
              pause, med(ms), 494.6 / med(ms), med(bw), med(alone), Arrays.stream(alone).max().getAsDouble());
        }
      }
    }
  }
}
