"""Times the tree-batch linear (linear_rows_<epi>_<NT> of gpt2_fused.cu) on the GPT-2-L matrices at 16, 32 and 64 token
rows for every cluster split of K from 1 to 8, next to the decoder's single-tile linear (graph replay of 200 launches,
weights rotated past L2) and the split FusedForward.rowSplits picks (mirrored by fused_kernels.row_splits). Run on
the GPU host from the repository root (an optional argument times a modified copy of the kernel source; a second,
`--once`, launches each kernel once instead, for Nsight Compute):

    /opt/torch/.venv/bin/python3 tools/probes/gpu/rows_splits_sweep.py [path/to/gpt2_fused.cu] [--once]
"""
import sys
sys.path.insert(0, 'tools/probes/gpu')
import torch
import fused_kernels as fk
torch.manual_seed(0); torch.zeros(1, device='cuda')
major, minor = torch.cuda.get_device_capability()
paths = [a for a in sys.argv[1:] if not a.startswith('--')]
once = '--once' in sys.argv
k = fk.Kernels(fk.compile_cubin(open(paths[0] if paths else fk.SOURCE).read(), f'sm_{major}{minor}'))
time = (lambda fn: (fn(0), torch.cuda.synchronize(), 0.0)[2]) if once else fk.graph_us
for rows in (16, 32, 64) if not once else (64,):
    nt = fk.nt_for(rows)
    for epi, K, N in fk.gpt2l_matrices():
        c = fk.TimedLinear(epi, K, N, rows)
        X, bias, out, args = c.X, c.bias, c.out, c.args
        rt = fk.feature_tiles(nt, N)
        single = time(lambda i: k.linear(epi, nt, rt, X, c.W(i), bias, None, None, rows, N, K, out, *args))
        cols = []
        for splits in range(1, 9) if epi != 'logits' else ():  # no cluster LM head
            if not fk.rows_fit(nt, K, splits):
                continue
            us = time(lambda i: k.linear_rows(epi, nt, X, c.W(i), bias, rows, N, K, out, *args, splits))
            cols.append(f'x{splits} {us:6.1f}')
        print(f'rows={rows:<3} {epi:<8} K={K:<5} N={N:<6} single-tile RT{rt} {single:6.1f} us   chosen x{fk.row_splits(nt, N, K)}: '
              + '  '.join(cols), flush=True)
        del c
