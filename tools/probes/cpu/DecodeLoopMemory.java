import ssd.decoder.forward.*;
import ssd.decoder.torch.*;
import ssd.decoder.model.*;
import ssd.decoder.decoding.*;
import ssd.decoder.ngram.*;
import ssd.common.Dtype;
import org.bytedeco.pytorch.Device;
import org.bytedeco.javacpp.Pointer;
import java.nio.file.Path;
public class DecodeLoopMemory {
  public static void main(String[] a) throws Exception {
    TorchThreads.apply(Integer.parseInt(System.getenv().getOrDefault("SSD_THREADS", "0")));
    Device cpu = new Device("cpu");
    try (GPT2Model oracle = GPT2Model.load(Path.of("models/mini/oracle"), Dtype.FP32, cpu);
         GPT2Model draft = GPT2Model.load(Path.of("models/mini/draft"), Dtype.FP32, cpu)) {
      KatzTrigram ngram = KatzTrigramFile.read(Path.of("models/mini/ngram.katz"));
      Decoder[] ds = {StagedDecoder.create(Forward.create(oracle, ForwardPlan.eagerCpu()), Forward.create(draft, ForwardPlan.eagerCpu()),
          ngram, StagedConfig.forBudget(32))};
      int[] prompt = {464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13};
      for (Decoder d : ds) {
        long first = 0;
        for (int i = 0; i < 150; i++) {
          d.generate(prompt, i % 2 == 0 ? SamplingConfig.greedy() : SamplingConfig.topK(50, 1.0, i), StopConditions.maxTokens(64));
          System.gc();
          long rss = Pointer.physicalBytes();
          if (i == 4) first = rss;
          if (i % 15 == 4) System.out.printf("%s gen %2d: RSS %.1f MB (%+.1f MB since gen 5)%n", d.getClass().getSimpleName(), i + 1, rss / 1e6, (rss - first) / 1e6);
        }
      }
    }
  }
}
