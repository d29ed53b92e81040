#!/usr/bin/env bash
# Memory soak on a CUDA host: `ssd bench-decode` with the paper's shapes (GPT-2-L oracle 36 x 1280, 20 heads; draft
# 4 x 512, 8 heads; random weights, fp16, CUDA graphs with the fused kernels) over ROUNDS prompts with baseline and
# with staged decoding (2 x ROUNDS runs), sampling the process's RSS and the GPU memory it holds every 5 seconds.
# Passes when, after the first tenth of the runs, RSS grows by at most RSS_BOUND_MB and GPU memory by at most
# GPU_BOUND_MB. Run from the repository root with build/gpu-bundle.tar.xz beside it (scripts/gpu-bundle.sh), as
# scripts/gpu-suite.sh does; about 15 minutes on an H200 at the default 10,000 rounds (detach it past the 10-minute
# command limit: setsid nohup scripts/gpu-soak.sh OUT > OUT.log 2>&1 &).
#
# Usage: scripts/gpu-soak.sh OUTDIR [ROUNDS]
#   writes OUTDIR/soak.csv (seconds, runs done, RSS MB, GPU MB), OUTDIR/soak.jsonl (the bench-decode records),
#   OUTDIR/bench-decode.log and OUTDIR/summary.txt
set -euo pipefail
out=${1:?usage: gpu-soak.sh OUTDIR [ROUNDS]}
rounds=${2:-10000}
rss_bound=${RSS_BOUND_MB:-50}
gpu_bound=${GPU_BOUND_MB:-32}
home=${SSD_BUNDLE_HOME:-/tmp/ssd-bundle}
mkdir -p "$out"
if [ ! -x "$home/gpu-bundle/bin/ssd-gpu" ]; then
  [ -f build/gpu-bundle.tar.xz ] || { echo "gpu-soak: no bundle in $home and no build/gpu-bundle.tar.xz (run scripts/gpu-bundle.sh)" >&2; exit 2; }
  mkdir -p "$home" && tar -C "$home" -xJf build/gpu-bundle.tar.xz
fi
ssd=$home/gpu-bundle/bin/ssd-gpu
export SSD_GIT_COMMIT=${SSD_GIT_COMMIT:-$(cat "$home/gpu-bundle/COMMIT")}
work=$out/models
mkdir -p "$work"

# Random-weight checkpoints of the paper's shapes, and a trigram fit on the random draft's samples.
[ -f "$work/oracle/config.json" ] || "$ssd" checkpoint random --layers 36 --embd 1280 --heads 20 --dtype fp16 --seed 1 --out "$work/oracle"
[ -f "$work/draft/config.json" ] || "$ssd" checkpoint random --layers 4 --embd 512 --heads 8 --dtype fp16 --seed 2 --out "$work/draft"
[ -f "$work/ngram.katz" ] || "$ssd" ngram fit --draft "$work/draft" --device cuda --dtype fp16 --tokens 500000 --out "$work/ngram.katz"

# ROUNDS short prompts, all different (bench-decode runs each once per method).
python3 - "$rounds" > "$work/prompts.jsonl" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"task_id": f"soak/{i}", "prompt": f"def f{i}(x):\n    return x + {i}\n", "entry_point": f"f{i}"}))
PY

results=$out/soak.jsonl
rm -f "$results"
# A fixed, pre-touched heap: what grows in RSS is then native memory, not the JVM taking more heap.
SSD_JAVA_OPTS="-Xms4g -Xmx4g -XX:+AlwaysPreTouch" "$ssd" bench-decode --device cuda --dtype fp16 --forward-mode cuda-graph \
  --kernels fused --model "$work/oracle" --draft "$work/draft" --ngram "$work/ngram.katz" --prompts "$work/prompts.jsonl" \
  --methods baseline,staged --max-new-tokens 16 --out "$results" > "$out/bench-decode.log" 2>&1 &
launcher=$!

echo "seconds,runs,rss_mb,gpu_mb" > "$out/soak.csv"
start=$(date +%s)
while kill -0 "$launcher" 2>/dev/null; do
  sleep 5
  pid=$(pgrep -f -n "bench-decode.*$results" || true)   # the java process under the launcher
  [ -n "$pid" ] || continue
  rss=$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || echo "")
  gpu=$(nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits 2>/dev/null | awk -F', ' -v p="$pid" '$1 == p {print $2}')
  runs=$( [ -f "$results" ] && wc -l < "$results" || echo 0)
  [ -n "$rss" ] && echo "$(( $(date +%s) - start )),$runs,$rss,${gpu:-}" >> "$out/soak.csv"
done
wait "$launcher" || { echo "gpu-soak: bench-decode failed (see $out/bench-decode.log)" >&2; exit 1; }

# Growth after the first tenth of the runs: the median of the first five samples past it against the last five.
python3 - "$out/soak.csv" "$((2 * rounds))" "$rss_bound" "$gpu_bound" <<'PY' | tee "$out/summary.txt"
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]))]
total, rss_bound, gpu_bound = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
after = [r for r in rows if int(r["runs"]) >= total // 10]
if len(after) < 10:
    sys.exit(f"gpu-soak: only {len(after)} samples after warm-up; too few to judge")
def growth(key):
    vals = [float(r[key]) for r in after if r[key]]
    return (statistics.median(vals[:5]), statistics.median(vals[-5:])) if len(vals) >= 10 else (float("nan"), float("nan"))
(r0, r1), (g0, g1) = growth("rss_mb"), growth("gpu_mb")
print(f"runs {rows[-1]['runs']} of {total} in {rows[-1]['seconds']} s")
print(f"RSS after warm-up {r0:.0f} MB, at the end {r1:.0f} MB ({r1 - r0:+.0f} MB; bound {rss_bound:.0f})")
print(f"GPU memory after warm-up {g0:.0f} MB, at the end {g1:.0f} MB ({g1 - g0:+.0f} MB; bound {gpu_bound:.0f})")
ok = r1 - r0 <= rss_bound and not (g1 - g0 > gpu_bound)
print("soak: PASS" if ok else "soak: FAIL")
sys.exit(0 if ok else 1)
PY
