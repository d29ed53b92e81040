"""The MLP proj of a 64-row GPT-2-L tree batch (K = 5120, N = 1280) as cuBLAS runs it through ATen now (addmm: a
split-K kernel plus cuBLASLt's separate reduction kernel) against a K-split of our own: one strided-batched GEMM over
S slices of K writing float32 partials [S, rows, N] (bmm with out_dtype), which the next layer norm would sum with the
bias and the residual, so the reduction costs no kernel of its own. Same for the out-proj (K = 1280). Times per call
in a CUDA graph of 200 calls, weights rotated over copies larger than L2 (fused_kernels.graph_us / copies).
Run from the repository root on the GPU host: /opt/torch/.venv/bin/python3 tools/probes/gpu/proj_split.py
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fused_kernels import copies, graph_us  # noqa: E402

DEV, HALF = 'cuda', torch.float16


def main():
    torch.manual_seed(0)
    print(torch.cuda.get_device_name(), 'torch', torch.__version__)
    for rows in (64, 32):
        for name, K, N in (('proj', 5120, 1280), ('out-proj', 1280, 1280), ('qkv', 1280, 3840)):
            x, b = (torch.randn(rows, K, device=DEV) * 0.5).to(HALF), (torch.randn(N, device=DEV) * 0.1).to(HALF)
            ws = copies(lambda: (torch.randn(N, K, device=DEV) * K ** -0.5).to(HALF), N * K * 2)
            out = torch.empty(rows, N, device=DEV, dtype=HALF)
            line = f'rows={rows} {name:8s} K={K} N={N}: addmm {graph_us(lambda i: torch.addmm(b, x, ws[i % len(ws)].t(), out=out)):5.1f} us'
            ref = torch.addmm(b, x, ws[0].t()).float()
            for S in (1, 2, 4, 5, 8):
                if K % S:
                    continue
                xs = x.view(rows, S, K // S).permute(1, 0, 2)                      # [S, rows, K/S], row stride K
                wts = [w.view(N, S, K // S).permute(1, 2, 0) for w in ws]         # [S, K/S, N], column-major slices
                parts = torch.empty(S, rows, N, device=DEV, dtype=torch.float32)
                try:
                    us = graph_us(lambda i: torch.bmm(xs, wts[i % len(wts)], out_dtype=torch.float32, out=parts))
                    torch.bmm(xs, wts[0], out_dtype=torch.float32, out=parts)
                    err = ((parts.sum(0) + b.float()).half().float() - ref).abs().max().item()
                    line += f' | S={S} bmm->fp32 {us:5.1f} us (max|diff| {err:.1e})'
                except Exception as e:  # noqa: BLE001 (report and go on)
                    line += f' | S={S} failed: {str(e).splitlines()[0][:80]}'
            print(line, flush=True)


if __name__ == '__main__':
    main()
