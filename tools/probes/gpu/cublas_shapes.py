"""cuBLAS (through PyTorch) on the tree-batch shapes FusedForward could hand it but does not: the GPT-2-L LM head
(N = 50257, an odd width) and the MLP proj asked as its transposed problem. Times per call in a CUDA graph, weights
rotated through copies larger than L2 (fused_kernels.graph_us / copies). Prints, for 16, 32 and 64 rows:
  head: mm over the full 50257 columns widened to the float32 logits; mm over the first 50256 (a multiple of 8)
        plus the last column and both copies; the 50256-column mm alone
  proj: addmm [rows, 5120] x [5120, 1280] as FusedForward's CublasLinears asks it, and as out^T = W h^T
Run from the repository root on the GPU host: /opt/torch/.venv/bin/python3 tools/probes/gpu/cublas_shapes.py
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fused_kernels import copies, graph_us  # noqa: E402

DEV, HALF, D, INNER, VOCAB = 'cuda', torch.float16, 1280, 5120, 50257


def rnd(*shape):
    return (torch.randn(*shape, device=DEV) * 0.02).to(HALF)


def main():
    torch.manual_seed(0)
    print(torch.cuda.get_device_name(), 'torch', torch.__version__)
    for rows in (16, 32, 64):
        x = rnd(rows, D)
        wtes = copies(lambda: rnd(VOCAB, D), VOCAB * D * 2)
        logits = torch.empty(rows, VOCAB, device=DEV, dtype=torch.float32)

        def head_full(i):
            logits.copy_(torch.mm(x, wtes[i % len(wtes)].t()))

        def head_aligned(i):
            w = wtes[i % len(wtes)]
            logits[:, :VOCAB - 1].copy_(torch.mm(x, w[:VOCAB - 1].t()))
            logits[:, VOCAB - 1:].copy_(torch.mm(x, w[VOCAB - 1:].t()))

        def head_aligned_mm(i):
            torch.mm(x, wtes[i % len(wtes)][:VOCAB - 1].t())

        print(f'rows={rows} head: mm full N {graph_us(head_full, 50):.1f} us, aligned 50256 + 1 + copies '
              f'{graph_us(head_aligned, 50):.1f} us, mm 50256 alone {graph_us(head_aligned_mm, 50):.1f} us')
        h, b = rnd(rows, INNER), rnd(D)
        ws = copies(lambda: rnd(D, INNER), D * INNER * 2)
        out, out_t = torch.empty(rows, D, device=DEV, dtype=HALF), torch.empty(D, rows, device=DEV, dtype=HALF)

        def proj(i):
            torch.addmm(b, h, ws[i % len(ws)].t(), out=out)

        def proj_transposed(i):
            torch.addmm(b[:, None], ws[i % len(ws)], h.t(), out=out_t)

        print(f'rows={rows} proj: addmm {graph_us(proj):.1f} us, transposed problem {graph_us(proj_transposed):.1f} us')


if __name__ == '__main__':
    main()
