# A first fused GEMV (tools/probes/gpu/gemv.cu) against cuBLAS for the matrices of one GPT-2-L layer and the LM head:
# correctness vs PyTorch, then time per matrix in graph replay over distinct weight copies.
# Run on the GPU host (needs CuPy): python3 tools/probes/gpu/gemv_probe.py
import os, torch, cupy as cp, time
src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gemv.cu')).read()
mod = cp.RawModule(code=src, options=('-std=c++17', '--use_fast_math'), name_expressions=None)
k = mod.get_function('ssd_gemv')
dev, dt = 'cuda', torch.float16
SMS = torch.cuda.get_device_properties(0).multi_processor_count
def ptr(t): return 0 if t is None else t.data_ptr()
def launch(W, x, bias, lnw, lnb, res, y16, y32, gelu, stream=None):
    out, inn = W.shape
    blocks = min((out + 7) // 8, SMS * 8)
    k((blocks,), (256,), (cp.uint64(ptr(W)), cp.uint64(ptr(x)), cp.uint64(ptr(bias)), cp.uint64(ptr(lnw)), cp.uint64(ptr(lnb)),
        cp.float32(1e-5), cp.uint64(ptr(res)), cp.uint64(ptr(y16)), cp.uint64(ptr(y32)), cp.int32(out), cp.int32(inn), cp.int32(gelu)),
      shared_mem=inn * 4)
torch.manual_seed(0)
# correctness vs torch
for (out, inn, ln, gelu, res, f32) in [(3840, 1280, 1, 0, 0, 0), (1280, 1280, 0, 0, 1, 0), (5120, 1280, 1, 1, 0, 0), (1280, 5120, 0, 0, 1, 0), (50257, 1280, 1, 0, 0, 1)]:
    W = torch.randn(out, inn, device=dev, dtype=dt) * 0.02; x = torch.randn(inn, device=dev, dtype=dt)
    b = torch.randn(out, device=dev, dtype=dt) * 0.1; lw = torch.rand(inn, device=dev, dtype=dt) + 0.5; lb = torch.randn(inn, device=dev, dtype=dt) * 0.1
    r = torch.randn(out, device=dev, dtype=dt)
    h = torch.nn.functional.layer_norm(x, (inn,), lw, lb, 1e-5) if ln else x
    ref = torch.nn.functional.linear(h, W, None if f32 else b)
    if gelu: ref = torch.nn.functional.gelu(ref, approximate='tanh')
    if res: ref = ref + r
    y16 = torch.empty(out, device=dev, dtype=dt); y32 = torch.empty(out, device=dev, dtype=torch.float32)
    launch(W, x, None if f32 else b, lw if ln else None, lb if ln else None, r if res else None, None if f32 else y16, y32 if f32 else None, gelu)
    torch.cuda.synchronize()
    got = y32 if f32 else y16.float()
    print(f"check {out}x{inn} ln={ln} gelu={gelu} res={res} f32={f32}: max|diff| {(got - ref.float()).abs().max().item():.4f}, argmax same {got.argmax().item() == ref.float().argmax().item()}")
# bandwidth: 36 distinct copies per shape, like layers
a = torch.empty(1 << 30, dtype=torch.uint8, device=dev); bb = torch.empty_like(a)
for _ in range(3): bb.copy_(a)
torch.cuda.synchronize(); t = time.perf_counter()
for _ in range(10): bb.copy_(a)
torch.cuda.synchronize(); bw = 2 * a.numel() * 10 / (time.perf_counter() - t); del a, bb
print(f"copy bandwidth {bw/1e12:.2f} TB/s")
for (out, inn, ln, gelu) in [(3840, 1280, 1, 0), (1280, 1280, 0, 0), (5120, 1280, 1, 1), (1280, 5120, 0, 0), (50257, 1280, 1, 0)]:
    n = 36 if out < 50000 else 2
    Ws = [torch.randn(out, inn, device=dev, dtype=dt) for _ in range(n)]
    x = torch.randn(inn, device=dev, dtype=dt); b = torch.randn(out, device=dev, dtype=dt); lw = torch.ones(inn, device=dev, dtype=dt); lb = torch.zeros(inn, device=dev, dtype=dt)
    y = torch.empty(out, device=dev, dtype=dt)
    def ours():
        with cp.cuda.ExternalStream(torch.cuda.current_stream().cuda_stream):
            for W in Ws: launch(W, x, b, lw if ln else None, lb if ln else None, None, y, None, gelu)
    xt = x.view(1, inn)
    def cublas():
        for W in Ws: torch.nn.functional.linear(xt, W, b)
    def graph_time(fn, reps=20):
        s = torch.cuda.Stream(); s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s): fn()
        torch.cuda.current_stream().wait_stream(s); torch.cuda.synchronize()
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g): fn()
        g.replay(); torch.cuda.synchronize()
        e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        e0.record()
        for _ in range(reps): g.replay()
        e1.record(); torch.cuda.synchronize()
        return e0.elapsed_time(e1) * 1e3 / (reps * n)
    us = graph_time(ours); us_cublas = graph_time(cublas)
    mb = out * inn * 2 / 1e6
    print(f"{out:6d}x{inn:5d} ln={ln} gelu={gelu}: ours {us:7.2f} us = {mb/us:.2f} TB/s ({mb/us/(bw/1e12)*100:.0f}% of copy); cuBLAS linear {us_cublas:7.2f} us = {mb/us_cublas:.2f} TB/s  (graph replay)")
