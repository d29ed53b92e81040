"""Times the decoder's linear kernels with 1, 2 and 4 16-feature tiles per block on the GPT-2-L matrices at 16, 32 and
64 token rows (graph replay of 200 launches, weights rotated past L2), next to the count FusedForward.featureTiles
picks (mirrored by fused_kernels.feature_tiles). The sweep behind the rule in FusedForward.featureTiles. Run on the GPU
host from the repository root:

    /opt/torch/.venv/bin/python3 tools/probes/gpu/feature_tiles_sweep.py
"""
import sys
sys.path.insert(0, 'tools/probes/gpu')
import torch
import fused_kernels as fk
torch.manual_seed(0); torch.zeros(1, device='cuda')
major, minor = torch.cuda.get_device_capability()
k = fk.Kernels(fk.compile_cubin(open(fk.SOURCE).read(), f'sm_{major}{minor}'))
for rows in (16, 32, 64):
    nt = fk.nt_for(rows)
    for epi, K, N in fk.gpt2l_matrices():
        c = fk.TimedLinear(epi, K, N, rows)
        X, bias, out, args = c.X, c.bias, c.out, c.args
        cols = []
        for rt in (1, 2, 4):
            us = fk.graph_us(lambda i: k.linear(epi, nt, rt, X, c.W(i), bias, None, None, rows, N, K, out, *args))
            cols.append(f'RT{rt} {us:6.1f}')
        print(f'rows={rows:<3} {epi:<8} K={K:<5} N={N:<6} chosen RT{fk.feature_tiles(nt, N)}: ' + '  '.join(cols), flush=True)
        del c
