"""Per-kernel times of the last forward in an Nsight Compute CSV, grouped by kernel name.

The CSV comes from profiling one bench-forward run with a single new-token count, e.g. (on the GPU host)
  ncu --target-processes all --cache-control none --clock-control none --metrics gpu__time_duration.sum --csv \
      gpu-bundle/bin/ssd-gpu bench-forward --device cuda --dtype fp16 --layers 36 --embd 1280 --heads 20 \
      --cuda-graphs --kernels fused --new-tokens 64 --iters 1 --warmup 1 --copy-mib 64 > ncu.csv
The last forward is everything from the last `embed` kernel up to the argmax ATen runs on its logits. ncu runs
kernels one at a time, so programmatic launch overlap is gone and the sum is not the forward's graph time.
Usage: python3 ncu_kernel_times.py NCU_CSV[.gz] ...
"""
import collections
import csv
import gzip
import sys


def last_forward(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt') as f:
        rows = [r for r in csv.reader(f) if len(r) > 5]
    header, rows = rows[0], rows[1:]
    name, value = header.index('Kernel Name'), header.index('Metric Value')
    kernels = [(r[name], float(r[value].replace(',', ''))) for r in rows]
    start = max(i for i, (n, _) in enumerate(kernels) if n.startswith('embed'))
    forward = kernels[start:]
    end = next((i for i, (n, _) in enumerate(forward) if n.startswith('void at::reduce')), len(forward))
    return forward[:end]


def main():
    for path in sys.argv[1:]:
        forward = last_forward(path)
        print(f'{path}: {len(forward)} kernels, {sum(v for _, v in forward) / 1000:.1f} us in all')
        groups = collections.defaultdict(lambda: [0, 0.0])
        for n, v in forward:
            groups[n[:80]][0] += 1
            groups[n[:80]][1] += v
        for n, (count, ns) in sorted(groups.items(), key=lambda g: -g[1][1]):
            print(f'{count:4d} x {ns / count / 1000:6.2f} us = {ns / 1000:7.1f} us  {n}')


if __name__ == '__main__':
    main()
