"""EXPERIMENT: checks and times wgmma_linear_experiment.cu (tree-batch linears on Hopper's warpgroup MMA, appended to
gpt2_fused.cu and compiled for sm_90a: one staging rows and weights with per-thread cp.async, one taking them packed
into the tile layout with bulk copies) against PyTorch, then next to the decoder's single-tile and cluster linears on
the GPT-2-L matrices (graph replay of 200 launches, weights rotated past L2). Run on an H100/H200 from the repository
root; extra arguments are C defines prepended to the source (e.g. WG_LBO=1024 WG_SBO=128):

    /opt/torch/.venv/bin/python3 tools/probes/gpu/wgmma_sweep.py [NAME=VALUE ...]
"""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import fused_kernels as fk

EXPERIMENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'wgmma_linear_experiment.cu')


DEFINES = dict(a.split('=') for a in sys.argv[1:])


def shared_bytes(splits):
    """WG_STAGES stages of two 64 x 64 fp16 tiles, then the inbox of the cluster's 64 x 64 sums."""
    return int(DEFINES.get('WG_STAGES', 4)) * 2 * 64 * 64 * 2 + fk.inbox_bytes(64, splits)


def pack(T):
    """T [R, K] -> the tile layout linear_wgmma_packed reads: rows padded with zeros to a multiple of 64, then per
    (64-row tile, 64-k stage) 8 KB of core matrices: [row group][16-byte chunk of k][row][8 elements]."""
    R, K = T.shape
    padded = torch.zeros(-(-R // 64) * 64, K, dtype=T.dtype, device=T.device)
    padded[:R] = T
    return padded.view(-1, 8, 8, K // 64, 8, 8).permute(0, 3, 1, 4, 2, 5).contiguous()


class WgmmaKernels(fk.Kernels):
    def linear_wgmma(self, epi, nt, X, W, bias, rows, N, K, out, slots, kv, slot_count, head_dim, splits):
        self.launch(f'linear_wgmma_{epi}_{nt}', ((N + 63) // 64, splits), 128,
                    [X, W, bias, rows, N, K, out, slots, kv, slot_count, head_dim], shared=shared_bytes(splits), cluster_y=splits)


    def linear_wgmma_packed(self, epi, Xp, Wp, bias, rows, N, K, out, slots, kv, slot_count, head_dim, splits):
        self.launch(f'linear_wgmma_packed_{epi}', ((N + 63) // 64, splits), 128,
                    [Xp, Wp, bias, rows, N, K, out, slots, kv, slot_count, head_dim], shared=shared_bytes(splits), cluster_y=splits)


def main():
    torch.manual_seed(0)
    torch.zeros(1, device=fk.DEV)
    major, minor = torch.cuda.get_device_capability()
    defines = ''.join(f'#define {name} {value}\n' for name, value in DEFINES.items())
    source = defines + open(fk.SOURCE).read() + open(EXPERIMENT).read()
    k = WgmmaKernels(fk.compile_cubin(source, f'sm_{major}{minor}a'))
    print(f'{torch.cuda.get_device_name()}; defines: {sys.argv[1:]}')
    for epi, K, N, hd, rows, splits in (('residual', 1280, 1280, 0, 64, 4), ('residual', 5120, 1280, 0, 64, 8),
                                        ('qkv', 1280, 3840, 64, 64, 4), ('gelu', 1280, 5120, 0, 64, 2),
                                        ('qkv', 1280, 3840, 64, 13, 3), ('residual', 768, 768, 0, 32, 1),
                                        ('logits', 1280, 50257, 0, 64, 1)):
        nt = fk.nt_for(rows)
        c = fk.LinearCase(epi, K, N, rows, 8 * nt, hd)
        start, kv_start = c.out.clone(), None if c.kv is None else c.kv.clone()
        k.linear_wgmma(epi, nt, c.X, c.W, c.bias, rows, N, K, c.out, *c.cache_args(), splits)
        c.check(f'linear_wgmma_{epi}_{nt} splits={splits} K={K} N={N} rows={rows}')
        c.out.copy_(start)  # the packed kernel must write everything again
        if kv_start is not None:
            c.kv.copy_(kv_start)
        k.linear_wgmma_packed(epi, pack(c.X), pack(c.W), c.bias, rows, N, K, c.out, *c.cache_args(), splits)
        c.check(f'linear_wgmma_packed_{epi} splits={splits} K={K} N={N} rows={rows}')
    failed = fk.RESULTS.count(False)
    print(f'wgmma_sweep: {len(fk.RESULTS)} checks, {failed} failed')
    if failed:
        sys.exit(1)
    if os.environ.get('WGMMA_ONCE'):  # one launch of the qkv matrix at 64 rows, split 4 (for Nsight Compute)
        c = fk.TimedLinear('qkv', 1280, 3840, 64)
        k.linear_wgmma('qkv', 8, c.X, c.W(0), c.bias, 64, 3840, 1280, c.out, *c.args, 4)
        torch.cuda.synchronize()
        return
    for rows in (16, 32, 64):
        nt = fk.nt_for(rows)
        for epi, K, N in fk.gpt2l_matrices()[:4]:
            c = fk.TimedLinear(epi, K, N, rows)
            rt = fk.feature_tiles(nt, N)
            single = fk.graph_us(lambda i: k.linear(epi, nt, rt, c.X, c.W(i), c.bias, None, None, rows, N, K, c.out, *c.args))
            cluster = fk.graph_us(lambda i: k.linear_rows(epi, nt, c.X, c.W(i), c.bias, rows, N, K, c.out, *c.args,
                                                          fk.row_splits(nt, N, K)))
            Xp, Wps = pack(c.X), [pack(w) for w in c.Ws]
            cols = []
            for splits in (2, 4, 5, 8):
                if K // 64 < splits or shared_bytes(splits) > torch.cuda.get_device_properties(0).shared_memory_per_block_optin:
                    continue
                us = fk.graph_us(lambda i: k.linear_wgmma_packed(epi, Xp, Wps[i % len(Wps)], c.bias, rows, N, K, c.out, *c.args, splits))
                cols.append(f'packed x{splits} {us:5.1f}')
            for splits in (1, 2, 3, 4, 5, 8):
                if K // 64 < splits or shared_bytes(splits) > torch.cuda.get_device_properties(0).shared_memory_per_block_optin:
                    continue
                us = fk.graph_us(lambda i: k.linear_wgmma(epi, nt, c.X, c.W(i), c.bias, rows, N, K, c.out, *c.args, splits))
                cols.append(f'x{splits} {us:5.1f}')
            print(f'rows={rows:<3} {epi:<8} K={K:<5} N={N:<5} single {single:5.1f}  cluster {cluster:5.1f}  wgmma ' + '  '.join(cols),
                  flush=True)
            del c


if __name__ == '__main__':
    main()
