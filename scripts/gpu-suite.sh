#!/usr/bin/env bash
# The GPU measurements recorded in docs/log/2026-11-benchmarks-notebook.md, as one command per suite, run on a CUDA host with PyTorch
# from the repository root. Unpacks build/gpu-bundle.tar.xz (scripts/gpu-bundle.sh) into $SSD_BUNDLE_HOME once per
# host, so a later suite on the same host needs no bundle; writes every result and log into OUTDIR.
#
# Usage: scripts/gpu-suite.sh SUITE OUTDIR
#   tests    the GPU-tagged JUnit tests (bin/ssd-gpu-test)
#   graphs   the tests, then eager vs CUDA-graph forwards (with --check) for the GPT-2-small and GPT-2-L shapes, with
#            ATen's kernels and with the fused ones
#   kernels  the fused kernels alone against PyTorch, checked and timed from Python (tools/probes/gpu/fused_kernels.py)
#   decode   every decoding method on the shipped mini family, eager and CUDA graphs, fp16 and fp32
set -euo pipefail
suite=${1:?usage: gpu-suite.sh tests|graphs|decode OUTDIR}
out=${2:?usage: gpu-suite.sh tests|graphs|decode OUTDIR}
home=${SSD_BUNDLE_HOME:-/tmp/ssd-bundle}
mkdir -p "$out"

if [ ! -x "$home/gpu-bundle/bin/ssd-gpu" ]; then
  [ -f build/gpu-bundle.tar.xz ] || { echo "gpu-suite: no bundle in $home and no build/gpu-bundle.tar.xz (run scripts/gpu-bundle.sh)" >&2; exit 2; }
  mkdir -p "$home" && tar -C "$home" -xJf build/gpu-bundle.tar.xz
fi
ssd=$home/gpu-bundle/bin/ssd-gpu
export SSD_GIT_COMMIT=${SSD_GIT_COMMIT:-$(cat "$home/gpu-bundle/COMMIT")}
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv > "$out/gpu.csv" || true

# Runs one ssd command, its output to the terminal and to OUTDIR/NAME.log; keeps going if it fails.
step() {
  local name=$1; shift
  echo "=== $name: $*"
  if ! "$@" 2>&1 | tee "$out/$name.log"; then echo "=== $name FAILED" | tee -a "$out/failed.txt"; fi
}

case "$suite" in
  tests)
    step gpu-tests "$home/gpu-bundle/bin/ssd-gpu-test"
    ;;
  graphs)
    step gpu-tests "$home/gpu-bundle/bin/ssd-gpu-test"
    for shape in "gpt2-small 12 768 12" "gpt2-large 36 1280 20"; do
      set -- $shape
      for kernels in fused aten; do
        step "bench-forward-$1-fp16-graphs-$kernels" "$ssd" bench-forward --device cuda --dtype fp16 --layers "$2" --embd "$3" \
          --heads "$4" --cuda-graphs --kernels "$kernels" --check --iters 50 --copy-mib 1024 \
          --out "$out/bench-forward-$1-fp16-graphs-$kernels.csv"
      done
    done
    ;;
  kernels)
    python=${PYTHON:-/opt/torch/.venv/bin/python3}
    step fused-kernels "$python" tools/probes/gpu/fused_kernels.py
    ;;
  decode)
    mini=${MINI:-models/mini}
    [ -f $mini/oracle/config.json ] || { echo "gpu-suite: $mini is not in this checkout" >&2; exit 2; }
    for dtype in fp16 fp32; do
      for mode in eager cuda-graph; do
        step "mini-greedy-$dtype-$mode" "$ssd" bench-decode --device cuda --dtype "$dtype" --forward-mode "$mode" \
          --model $mini/oracle --draft $mini/draft --ngram $mini/ngram.katz --prompts builtin --limit 20 \
          --max-new-tokens 128 --out "$out/mini-greedy-$dtype-$mode.jsonl"
      done
    done
    ;;
  *) echo "gpu-suite: unknown suite '$suite' (tests, graphs, kernels or decode)" >&2; exit 2 ;;
esac
[ ! -f "$out/failed.txt" ] || { cat "$out/failed.txt"; exit 1; }
