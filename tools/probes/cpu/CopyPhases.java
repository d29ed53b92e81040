import org.bytedeco.pytorch.*;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.javacpp.PointerScope;
import java.util.Arrays;
public class CopyPhases {
  public static void main(String[] a) {
    torch.set_num_threads(2);
    long n = 128L << 20;
    for (String mode : new String[]{"ones/zeros", "ones/ones", "rand/rand"}) {
      double[] gbs = new double[8];
      for (int r = 0; r < gbs.length; r++) {
        try (PointerScope s = new PointerScope()) {
          Tensor src = mode.startsWith("rand") ? torch.rand(n) : torch.ones(n);
          Tensor dst = mode.equals("ones/zeros") ? torch.zeros(n) : mode.equals("ones/ones") ? torch.ones(n) : torch.rand(n);
          double best = 1e9;
          for (int i = 0; i < 4; i++) { long t0 = System.nanoTime(); dst.copy_(src); double t = (System.nanoTime() - t0) / 1e9; if (i > 0) best = Math.min(best, t); }
          gbs[r] = 2.0 * n * 4 / best / 1e9;
          // read probe: sum
          double bestR = 1e9;
          for (int i = 0; i < 4; i++) { long t0 = System.nanoTime(); src.sum().item_float(); double t = (System.nanoTime() - t0) / 1e9; if (i > 0) bestR = Math.min(bestR, t); }
          System.out.printf("%s alloc %d: copy %.1f GB/s, read(sum) %.1f GB/s%n", mode, r, gbs[r], n * 4 / bestR / 1e9);
        }
      }
    }
  }
}
