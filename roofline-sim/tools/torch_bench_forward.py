"""Eager PyTorch GPT-2 forward timings in the roofline-sim bench CSV format.

Validates `ssd simulate calibrate` on a GPU host before the Java decoder runs there. The forward issues the same
kernels as the cost model (ForwardCostModel): layer norms, addmm linears, KV copies into a preallocated cache,
SDPA with a boolean tree-like mask for n > 1, GELU (tanh), tied LM head, argmax. Random fp16 weights.
Each point is the fastest of 7 rounds of 15 forwards (the host's Python dispatch is jittery).

Usage on the GPU host: /opt/torch/.venv/bin/python torch_bench_forward.py OUT.csv
Produced src/test/resources/ssd/roofline/h200-torch-eager-bench.csv (NVIDIA H200, torch 2.11, 2026 session).
"""
import sys, time, torch, torch.nn.functional as F
torch.manual_seed(0)
dev = 'cuda'; dt = torch.float16
SHAPES = {'gpt2': (12, 768, 12), 'gpt2-large': (36, 1280, 20)}
V, P = 50257, 1024
out = open(sys.argv[1], 'w')
out.write('device,dtype,n_layer,n_embd,n_head,vocab_size,n_positions,prefix_len,new_tokens,ms_per_forward,weight_bytes,copy_bandwidth_bytes_per_s\n')
name = torch.cuda.get_device_name()
x = torch.empty(256 * 2**20, dtype=dt, device=dev); y = torch.empty_like(x)
for _ in range(3): y.copy_(x)
torch.cuda.synchronize(); t = time.perf_counter()
for _ in range(20): y.copy_(x)
torch.cuda.synchronize(); bw = 2 * x.numel() * 2 * 20 / (time.perf_counter() - t)
del x, y
print('copy bandwidth', bw / 1e9, 'GB/s', flush=True)

def rnd(*s): return (torch.randn(*s, device=dev) * 0.02).to(dt)
for key, (L, d, H) in SHAPES.items():
    dh = d // H
    wte, wpe = rnd(V, d), rnd(P, d)
    layers = [dict(l1w=rnd(d), l1b=rnd(d), wqkv=rnd(d, 3*d), bqkv=rnd(3*d), wo=rnd(d, d), bo=rnd(d),
                   l2w=rnd(d), l2b=rnd(d), wfc=rnd(d, 4*d), bfc=rnd(4*d), wp=rnd(4*d, d), bp=rnd(d)) for _ in range(L)]
    lfw, lfb = rnd(d), rnd(d)
    cap = P + 256
    ck = [torch.zeros(H, cap, dh, device=dev, dtype=dt) for _ in range(L)]
    cv = [torch.zeros(H, cap, dh, device=dev, dtype=dt) for _ in range(L)]
    params = sum(t.numel() for t in [wte, wpe, lfw, lfb]) + sum(t.numel() for l in layers for t in l.values())

    def forward(ids, pos, s, n, mask):
        x = wte[ids] + wpe[pos]
        for l in range(L):
            w = layers[l]
            h = F.layer_norm(x, (d,), w['l1w'], w['l1b'])
            qkv = torch.addmm(w['bqkv'], h, w['wqkv'])
            q, k, v = qkv.split(d, dim=1)
            q = q.view(n, H, dh).transpose(0, 1)
            ck[l][:, s:s+n].copy_(k.view(n, H, dh).transpose(0, 1))
            cv[l][:, s:s+n].copy_(v.view(n, H, dh).transpose(0, 1))
            a = F.scaled_dot_product_attention(q, ck[l][:, :s+n], cv[l][:, :s+n], attn_mask=mask)
            a = a.transpose(0, 1).reshape(n, d)
            x = x + torch.addmm(w['bo'], a, w['wo'])
            h = F.layer_norm(x, (d,), w['l2w'], w['l2b'])
            h = F.gelu(torch.addmm(w['bfc'], h, w['wfc']), approximate='tanh')
            x = x + torch.addmm(w['bp'], h, w['wp'])
        x = F.layer_norm(x, (d,), lfw, lfb)
        return (x @ wte.t()).argmax(-1)

    with torch.inference_mode():
        for s in (0, 256):
            n = 1
            while n <= 128:
                ids = torch.randint(0, V, (n,), device=dev); pos = torch.arange(s, s+n, device=dev)
                mask = None if n == 1 else (torch.rand(n, s+n, device=dev) > 0.1)
                if mask is not None: mask[:, :s] = True; mask[torch.arange(n), s + torch.arange(n)] = True
                for _ in range(20): forward(ids, pos, s, n, mask)
                rounds = []
                for _ in range(7):
                    torch.cuda.synchronize(); reps = 15; t = time.perf_counter()
                    for _ in range(reps): forward(ids, pos, s, n, mask)
                    torch.cuda.synchronize(); rounds.append((time.perf_counter() - t) / reps * 1e3)
                rounds.sort(); ms = rounds[0]
                print('  rounds', [round(r, 2) for r in rounds], flush=True)
                out.write(f'{name},fp16,{L},{d},{H},{V},{P},{s},{n},{ms:.6f},{params*2},{bw:.6e}\n')
                print(key, s, n, round(ms, 3), flush=True)
                n *= 2
out.close()
