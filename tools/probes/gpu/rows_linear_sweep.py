"""EXPERIMENT: checks and times rows_linear_experiment.cu (a tree-batch linear with a cp.async shared-memory ring and
split-K over blocks, appended to gpt2_fused.cu) for several shapes of its ring (warps per block, stages, 32-wide k
steps per stage; each compiled by overriding the ROWS_LINEAR_* defaults), next to the register-streaming linear the
decoder uses, on the GPT-2-L shapes. Measured slower than the decoder's kernel on an H200 (docs/log/2026-11-benchmarks-notebook.md); kept
so the next attempt starts from numbers. Run on the GPU host from the repository root:

    /opt/torch/.venv/bin/python3 tools/probes/gpu/rows_linear_sweep.py [warps,stages,ksteps ...]
"""
import os, sys
import torch
import fused_kernels as fk

CONFIGS = [(4, 8, 1), (4, 4, 2), (2, 4, 4)]
EXPERIMENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'rows_linear_experiment.cu')


class RowKernels(fk.Kernels):
    def __init__(self, cubin, config):
        super().__init__(cubin)
        self.warps, self.stages, self.ksteps = config

    def features(self):
        return 16 * self.warps

    def ring_linear(self, epi, nt, X, W, bias, rows, N, K, out, slots, kv, slot_count, head_dim, slices, workspace, arrivals):
        """linear_<epi>_rows_<nt>: grid (feature tiles, K slices), a ring of (features + 8*nt rows) x 32*ksteps k."""
        f = self.features()
        self.launch(f'linear_{epi}_rows_{nt}', ((N + f - 1) // f, slices), 32 * self.warps,
                    [X, W, bias, rows, N, K, out, slots, kv, slot_count, head_dim, workspace, arrivals],
                    shared=self.stages * (f + 8 * nt) * 32 * self.ksteps * 2)

    def slices(self, N, K, sms):
        """Split K while the matrix has fewer feature tiles than multiprocessors (at most 8 slices of >= 4 stages)."""
        tiles, stages, s = (N + self.features() - 1) // self.features(), K // (32 * self.ksteps), 1
        while s < 8 and tiles * s < sms and stages // (2 * s) >= 4:
            s *= 2
        return s

    def workspace(self, N, slices, nt):
        if slices == 1:
            return None, None
        tiles = (N + self.features() - 1) // self.features()
        return (torch.empty(tiles * slices * 8 * nt * self.features(), device=fk.DEV, dtype=torch.float32),
                torch.zeros(tiles, device=fk.DEV, dtype=torch.int32))


def check(k, epi, K, N, rows, head_dim, slices):
    """Two launches (the second checks that the first left its arrival counts at zero) against F.linear on normalized rows."""
    nt = fk.nt_for(rows)
    c = fk.LinearCase(epi, K, N, rows, 8 * nt, head_dim)
    workspace, arrivals = k.workspace(N, slices, nt)
    start = c.out.clone()
    for _ in range(2):
        c.out.copy_(start)
        k.ring_linear(epi, nt, c.X, c.W, c.bias, rows, N, K, c.out, *c.cache_args(), slices, workspace, arrivals)
    name = f'linear_{epi}_rows_{nt} K={K} N={N} rows={rows} slices={slices}'
    c.check(name)
    if arrivals is not None:
        fk.RESULTS.append(bool((arrivals == 0).all()))
        print(f'{"PASS" if fk.RESULTS[-1] else "FAIL"}  {name} arrival counts back at zero')


def main():
    torch.manual_seed(0)
    torch.zeros(1, device=fk.DEV)
    major, minor = torch.cuda.get_device_capability()
    arch, sms = f'sm_{major}{minor}', torch.cuda.get_device_properties(0).multi_processor_count
    print(f'{torch.cuda.get_device_name()} {arch}, {sms} SMs, torch {torch.__version__}')
    source = open(fk.SOURCE).read() + open(EXPERIMENT).read()
    configs = [tuple(int(v) for v in a.split(',')) for a in sys.argv[1:]] or CONFIGS
    V = 50257
    old = fk.Kernels(fk.compile_cubin(source, arch))
    for config in configs:
        warps, stages, ksteps = config
        defines = f'#define ROWS_LINEAR_WARPS {warps}\n#define ROWS_LINEAR_STAGES {stages}\n#define ROWS_LINEAR_KSTEPS {ksteps}\n'
        k = RowKernels(fk.compile_cubin(defines + source, arch), config)
        print(f'-- warps {warps} ({k.features()} features), {stages} stages of {32 * ksteps} k: '
              f'{stages * (k.features() + 64) * 32 * ksteps * 2 // 1024} KiB shared at 64 rows')
        for epi, K, N, hd, rows, slices in (('residual', 5120, 1280, 0, 64, 8), ('qkv', 1280, 3840, 64, 13, 3),
                                            ('logits', 1280, V, 0, 64, 1), ('gelu', 768, 3072, 0, 32, 2)):
            check(k, epi, K, N, rows, hd, slices)
        for rows in (8, 16, 64):
            nt = fk.nt_for(rows)
            cols, total_new, total_old = [], 0.0, 0.0
            for epi, K, N in fk.gpt2l_matrices():
                c = fk.TimedLinear(epi, K, N, rows)
                nbytes, X, bias, out, args = c.nbytes, c.X, c.bias, c.out, c.args
                best = None
                for slices in sorted({k.slices(N, K, sms), min(8, 2 * k.slices(N, K, sms))}):
                    workspace, arrivals = k.workspace(N, slices, nt)
                    us = fk.graph_us(lambda i: k.ring_linear(epi, nt, X, c.W(i), bias, rows, N, K, out, *args,
                                                             slices, workspace, arrivals))
                    best = min(best or (us, slices), (us, slices))
                rt = fk.feature_tiles(nt, N)
                o = fk.graph_us(lambda i: old.linear(epi, nt, rt, X, c.W(i), bias, None, None, rows, N, K, out, *args))
                if epi != 'logits':
                    total_new, total_old = total_new + best[0], total_old + o
                cols.append(f'{epi[:3]}{K // 1280}: {best[0]:5.1f}/s{best[1]} ({nbytes / best[0] / 1e3:4.0f} GB/s) old {o:5.1f}')
                del c
            print(f'rows={rows:<3} layer {total_new:5.1f} us (old {total_old:5.1f})  ' + '  '.join(cols))
    failed = fk.RESULTS.count(False)
    print(f'rows_linear_sweep: {len(fk.RESULTS)} checks, {failed} failed')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
