import org.bytedeco.pytorch.*;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.javacpp.PointerScope;
import java.util.Arrays;
public class GemvLayouts {
  static double med(double[] x) { double[] s = x.clone(); Arrays.sort(s); return s[s.length / 2]; }
  public static void main(String[] a) {
    int threads = Integer.parseInt(a[0]);
    torch.set_num_threads(threads);
    long[][] shapes = {{2304, 768}, {768, 768}, {3072, 768}, {768, 3072}, {50257, 768}};
    for (long[] sh : shapes) {
      int copies = sh[0] == 50257 ? 2 : 12;
      Tensor[] w = new Tensor[copies], wt = new Tensor[copies];
      for (int i = 0; i < copies; i++) { w[i] = torch.randn(sh[0], sh[1]); wt[i] = w[i].t().contiguous(); }
      Tensor x = torch.randn(sh[1]); Tensor b = torch.randn(sh[0]);
      double bytes = sh[0] * sh[1] * 4.0;
      for (String mode : new String[]{"addmv W[out,in]", "addmv Wt[in,out].t()", "addmm x@Wt"}) {
        double[] gbs = new double[30];
        for (int r = -3; r < 30; r++) {
          try (PointerScope s = new PointerScope()) {
            int i = Math.floorMod(r, copies);
            long t0 = System.nanoTime();
            Tensor y = mode.startsWith("addmv W[") ? torch.addmv(b, w[i], x) : mode.startsWith("addmv Wt") ? torch.addmv(b, wt[i].t(), x)
                     : torch.addmm(b, x.view(1, -1), wt[i]);
            y.data_ptr_float().get();
            if (r >= 0) gbs[r] = bytes / ((System.nanoTime() - t0) / 1e9) / 1e9;
          }
        }
        System.out.printf("threads %d %-6d x %-5d %-22s median %.1f GB/s%n", threads, sh[0], sh[1], mode, med(gbs));
      }
      for (int i = 0; i < copies; i++) { w[i].close(); wt[i].close(); }
    }
  }
}
