# Where does a GPT-2-L-shaped 1-token CUDA-graph forward spend its time? The op sequence of GPT2Model.staticForward
# (as of 2026-11-27), replayed as a CUDA graph, with variants that drop or fuse pieces; then the kernel profile of one
# forward as built, with cuDNN attention on and off. Run on the GPU host: python3 tools/probes/gpu/graph_costs.py
import torch, time, sys
torch.manual_seed(0)
L, D, H, V, SLOTS = 36, 1280, 20, 50257, 1152
hd = D // H
dev, dt = 'cuda', torch.float16
r = lambda *s: (torch.randn(*s, device=dev, dtype=dt) * 0.02)
wte, wpe = r(V, D), r(1024, D)
blocks = [dict(ln1w=torch.ones(D, device=dev, dtype=dt), ln1b=r(D), attw=r(3*D, D), attb=r(3*D), pw=r(D, D), pb=r(D),
               ln2w=torch.ones(D, device=dev, dtype=dt), ln2b=r(D), fw=r(4*D, D), fb=r(4*D), mw=r(D, 4*D), mb=r(D)) for _ in range(L)]
lnfw, lnfb = torch.ones(D, device=dev, dtype=dt), r(D)
K = [torch.zeros(1, H, SLOTS, hd, device=dev, dtype=dt) for _ in range(L)]
Vv = [torch.zeros(1, H, SLOTS, hd, device=dev, dtype=dt) for _ in range(L)]
KV = [torch.zeros(2, 1, H, SLOTS, hd, device=dev, dtype=dt) for _ in range(L)]
WT = wte.t().contiguous()
wbytes = sum(t.numel()*2 for b in blocks for t in b.values()) + wte.numel()*2

def lin(x, w, b, mv):
    if mv and x.shape[1] == 1:
        return torch.addmv(b, w, x.view(-1)).view(1, 1, -1) if b is not None else torch.mv(w, x.view(-1)).view(1, 1, -1)
    return torch.nn.functional.linear(x, w, b)

def forward(n, ids, pos, slots, bias, out, width=SLOTS, fused_kv=False, gelu_epi=False, attn=True, only_mm=False, mv=False):
    x = wte[ids] + wpe[pos]
    for l, b in enumerate(blocks):
        if only_mm:
            x = torch.nn.functional.linear(x, b['attw'])[..., :D] + torch.nn.functional.linear(x, b['pw'])
            h = torch.nn.functional.linear(x, b['fw']); x = torch.nn.functional.linear(h, b['mw'])
            continue
        qkv = lin(torch.nn.functional.layer_norm(x, (D,), b['ln1w'], b['ln1b']), b['attw'], b['attb'], mv)
        q = qkv[..., :D].view(1, n, H, hd).transpose(1, 2)
        if attn:
            if fused_kv:
                kv = qkv.view(1, n, 3, H, hd)[:, :, 1:].permute(2, 0, 3, 1, 4)
                KV[l].index_copy_(3, slots, kv)
                k, v = KV[l][0, :, :, :width], KV[l][1, :, :, :width]
            else:
                k = qkv[..., D:2*D].view(1, n, H, hd).transpose(1, 2); v = qkv[..., 2*D:].view(1, n, H, hd).transpose(1, 2)
                K[l].index_copy_(2, slots, k); Vv[l].index_copy_(2, slots, v)
                k, v = K[l][:, :, :width], Vv[l][:, :, :width]
            a = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=bias[:, :width])
        else:
            a = q
        a = a.transpose(1, 2).reshape(1, n, D)
        x = x + lin(a, b['pw'], b['pb'], mv)
        y = torch.nn.functional.layer_norm(x, (D,), b['ln2w'], b['ln2b'])
        if gelu_epi:
            h = torch._addmm_activation(b['fb'], y.view(n, D), b['fw'].t(), use_gelu=True).view(1, n, 4*D)
        else:
            h = torch.nn.functional.gelu(lin(y, b['fw'], b['fb'], mv), approximate='tanh')
        x = x + lin(h, b['mw'], b['mb'], mv)
    x = torch.nn.functional.layer_norm(x, (D,), lnfw, lnfb)
    out.copy_(lin(x, wte, None, mv).view(n, V))

def timed(n, iters=200, **kw):
    ids = torch.randint(0, V, (1, n), device=dev); pos = torch.arange(128, 128+n, device=dev).view(1, n)
    slots = torch.arange(128, 128+n, device=dev); bias = torch.zeros(n, SLOTS, device=dev, dtype=dt); bias[:, 128+n:] = float('-inf')
    out = torch.empty(n, V, device=dev)
    s = torch.cuda.Stream(); s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3): forward(n, ids, pos, slots, bias, out, **kw)
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g): forward(n, ids, pos, slots, bias, out, **kw)
    for _ in range(10): g.replay()
    torch.cuda.synchronize()
    e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    e0.record()
    for _ in range(iters): g.replay()
    e1.record(); torch.cuda.synchronize()
    return e0.elapsed_time(e1) / iters, ids, pos, slots, bias, out

a = torch.empty(1 << 29, dtype=torch.uint8, device=dev); bb = torch.empty_like(a)
for _ in range(3): bb.copy_(a)
torch.cuda.synchronize(); t = time.perf_counter()
for _ in range(20): bb.copy_(a)
torch.cuda.synchronize(); bw = 2 * a.numel() * 20 / (time.perf_counter() - t)
floor = wbytes / bw * 1e3
print(f"weights {wbytes/1e6:.1f} MB, copy bw {bw/1e9:.0f} GB/s, floor {floor:.3f} ms, 3x floor {3*floor:.3f} ms")
variants = [("as in Java (baseline)", {}), ("fused K/V write", dict(fused_kv=True)), ("+ gelu epilogue", dict(fused_kv=True, gelu_epi=True)),
            ("+ attention width 256", dict(fused_kv=True, gelu_epi=True, width=256)), ("no attention at all", dict(attn=False)),
            ("matmuls only (no bias/LN/attn)", dict(only_mm=True)), ("addmv for 1 row", dict(mv=True)),
            ("addmv + fused K/V", dict(mv=True, fused_kv=True))]
def run_all(label):
    for n in (1, 64):
        for name, kw in variants:
            if n > 1 and kw.get('mv'): continue
            ms = timed(n, **kw)[0]
            print(f"{label} n={n:3d} {name:34s} {ms:.3f} ms  ({ms/floor:.2f}x floor)")
run_all("cudnn-sdpa")
torch.backends.cuda.enable_cudnn_sdp(False)
run_all("no-cudnn ")
torch.backends.cuda.enable_cudnn_sdp(True)
# dynamic-shape eager cost of cudnn SDPA plan building: time eager decode steps with a growing key length
def eager_growing(steps=50):
    q = torch.randn(1, H, 1, hd, device=dev, dtype=dt)
    torch.cuda.synchronize(); t = time.perf_counter()
    for i in range(steps):
        k = K[0][:, :, :200 + i]; v = Vv[0][:, :, :200 + i]
        torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(1, 200 + i, device=dev, dtype=torch.bool) | True)
    torch.cuda.synchronize(); return (time.perf_counter() - t) / steps * 1e3
print(f"eager SDPA, growing keys, cudnn on: {eager_growing():.3f} ms/call")
torch.backends.cuda.enable_cudnn_sdp(False)
print(f"eager SDPA, growing keys, cudnn off: {eager_growing():.3f} ms/call")
# kernel list of one forward as built (cuDNN attention on), then with cuDNN attention off
from torch.profiler import profile, ProfilerActivity
for cudnn in (True, False):
    torch.backends.cuda.enable_cudnn_sdp(cudnn)
    _, ids, pos, slots, bias, out = timed(1, iters=1)
    with profile(activities=[ProfilerActivity.CUDA]) as p:
        forward(1, ids, pos, slots, bias, out); torch.cuda.synchronize()
    print(f"kernel profile, cuDNN attention {'on' if cudnn else 'off'}:")
    print(p.key_averages().table(sort_by="cuda_time_total", row_limit=25, max_name_column_width=90))
