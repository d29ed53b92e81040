#!/usr/bin/env bash
# The peers' part of the paper pipeline, on the machine that ran bench-decode (docs/peers.md): transformers' decoding on
# the prompts of our greedy and top-k results with the same checkpoints, dtype and card, then every run (ours and the
# peers') teacher-forced through transformers in fp32. Ends with the targets and the exactness verdicts.
#
# Usage: tools/peers/pipeline.sh ORACLE_DIR DRAFT_DIR GREEDY.jsonl[.gz] TOPK.jsonl[.gz]|- OUTDIR
# Environment: PYTHON (default python3), PEERS_BUDGET (seconds for all peers, default 240: two thirds to the greedy
# ones, one third to top-k; teacher forcing comes after it), PEERS_LIMIT (prompts per peer, default 20), MAX_NEW (the
# bench-decode --max-new-tokens, when the results have no provenance sidecar beside them), PEERS_METHODS (hf_peers.py's
# --methods, default all four).
# Exit status 1 when a peer failed or a token failed the exactness check.
set -uo pipefail
[ $# -eq 5 ] || { echo "usage: tools/peers/pipeline.sh ORACLE_DIR DRAFT_DIR GREEDY.jsonl TOPK.jsonl|- OUTDIR" >&2; exit 2; }
oracle=$1 draft=$2 greedy=$3 topk=$4 out=$5
python=${PYTHON:-python3}
budget=${PEERS_BUDGET:-240}
limit=${PEERS_LIMIT:-20}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
extra=()
[ -n "${MAX_NEW:-}" ] && extra+=(--max-new-tokens "$MAX_NEW")
[ -n "${PEERS_METHODS:-}" ] && extra+=(--methods "$PEERS_METHODS")
status=0

# Runs one step with its output to the terminal and OUTDIR/NAME.log; a failure is remembered, not fatal.
step() {
  local name=$1; shift
  echo "=== $name: $*"
  "$@" 2>&1 | tee "$out/$name.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "=== $name FAILED"; status=1; }
}

checked=("$greedy")
if [ "$topk" = "-" ]; then
  greedy_budget=$budget
else
  greedy_budget=$((budget * 2 / 3))
fi
step peers-greedy "$python" "$here/hf_peers.py" --results "$greedy" --model "$oracle" --draft "$draft" \
  --out "$out/peers-greedy.jsonl" --budget-seconds "$greedy_budget" --limit "$limit" "${extra[@]}"
[ -s "$out/peers-greedy.jsonl" ] && checked+=("$out/peers-greedy.jsonl")
if [ "$topk" != "-" ]; then
  checked+=("$topk")
  step peers-topk "$python" "$here/hf_peers.py" --results "$topk" --model "$oracle" --draft "$draft" \
    --out "$out/peers-topk.jsonl" --budget-seconds "$((budget - greedy_budget))" --limit "$limit" "${extra[@]}"
  [ -s "$out/peers-topk.jsonl" ] && checked+=("$out/peers-topk.jsonl")
fi
step exactness "$python" "$here/teacher_force.py" --model "$oracle" --results "${checked[@]}" --out "$out/exactness.json"

echo "=== summary"
grep -h -A3 '^targets (greedy' "$out/peers-greedy.log" || echo "no greedy peer results"
grep -h '^FAILED ' "$out"/peers-*.log || true
grep -h '^exactness (' "$out/exactness.log" || echo "no exactness verdict"
echo "peers and exactness: $([ $status -eq 0 ] && echo ok || echo FAILED) (outputs in $out)"
exit $status
