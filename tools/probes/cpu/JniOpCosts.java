import org.bytedeco.pytorch.*;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.javacpp.PointerScope;
public class JniOpCosts {
  public static void main(String[] a) {
    torch.set_num_threads(1);
    Tensor x = torch.randn(1, 1, 96), y = torch.randn(1, 1, 96), w = torch.ones(96), b = torch.zeros(96);
    Tensor W = torch.randn(288, 96), bias = torch.randn(288);
    int n = 20000;
    for (int rep = 0; rep < 3; rep++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) try (PointerScope s = new PointerScope()) { x.add(y); }
      double add = (System.nanoTime() - t0) / 1e3 / n;
      t0 = System.nanoTime();
      try (PointerScope s = new PointerScope()) { for (int i = 0; i < n; i++) x.add(y).close(); }
      double addClose = (System.nanoTime() - t0) / 1e3 / n;
      t0 = System.nanoTime();
      for (int i = 0; i < n; i++) try (PointerScope s = new PointerScope()) { torch.layer_norm(x, new long[]{96}, new TensorOptional(w), new TensorOptional(b), 1e-5, true); }
      double ln = (System.nanoTime() - t0) / 1e3 / n;
      TensorOptional wo = new TensorOptional(w), bo = new TensorOptional(b);
      t0 = System.nanoTime();
      for (int i = 0; i < n; i++) try (PointerScope s = new PointerScope()) { torch.layer_norm(x, new long[]{96}, wo, bo, 1e-5, true); }
      double lnCached = (System.nanoTime() - t0) / 1e3 / n;
      t0 = System.nanoTime();
      Tensor xv = x.reshape(96);
      for (int i = 0; i < n; i++) try (PointerScope s = new PointerScope()) { torch.addmv(bias, W, xv); }
      double mv = (System.nanoTime() - t0) / 1e3 / n;
      t0 = System.nanoTime();
      for (int i = 0; i < n; i++) try (PointerScope s = new PointerScope()) { x.sizes().vec().get(); }
      double sizes = (System.nanoTime() - t0) / 1e3 / n;
      t0 = System.nanoTime();
      for (int i = 0; i < n; i++) try (PointerScope s = new PointerScope()) { x.view(1, 1, 96); }
      double view = (System.nanoTime() - t0) / 1e3 / n;
      System.out.printf("us/op: add %.2f, add+close %.2f, layer_norm %.2f (cached optionals %.2f), addmv 288x96 %.2f, sizes().vec() %.2f, view %.2f%n", add, addClose, ln, lnCached, mv, sizes, view);
    }
  }
}
