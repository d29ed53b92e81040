#!/usr/bin/env bash
# The paper-scale run on one CUDA host with PyTorch (no Java needed): corpus, plain draft, GPT-2-L oracle, distilled
# draft, agreement of both drafts with the oracle, the trigram, HumanEval decoding (greedy and top-k 50, every method;
# the plain draft for comparison), the Hugging Face peers, cross-implementation exactness and the Nsight Compute
# intensity check, then a results folder small enough to bring back.
#
# Usage (from the repository root, with build/gpu-bundle.tar.xz from scripts/gpu-bundle.sh):
#   scripts/gpu-paper.sh OUT [STAGE...]        default: every stage in order
# Every stage is resumable and skipped when done (WORK/done/STAGE records its wall time), so the whole run can be a
# sequence of commands on a host that keeps WORK between them; `scripts/gpu-paper.sh OUT status` prints the budget.
# A failed stage is recorded in WORK/failed and the run goes on with the stages that do not need it.
#
# Environment: WORK (default /tmp/ssd-paper: corpus, checkpoints, logs; the 1.5 GB oracle stays here),
# SSD_BUNDLE_HOME (default /tmp/ssd-bundle: the unpacked bundle; a newer BUNDLE_TARBALL, default
# build/gpu-bundle.tar.xz, replaces it between stages), SSD_ROOT (the checkout, for tools/peers; default: this
# script's), PYTHON (default python3), SSD_HUMANEVAL (the HumanEval file, if not found beside the checkout) and the
# budgets below.
set -uo pipefail
out=${1:?usage: gpu-paper.sh OUT [STAGE...]}
shift
root=${SSD_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
work=${WORK:-/tmp/ssd-paper}
home=${SSD_BUNDLE_HOME:-/tmp/ssd-bundle}
python=${PYTHON:-python3}
# Budgets (tokens, prompts, seconds): sized so the stages without peers fit 25 minutes on one H200.
oracle_tokens=${ORACLE_TOKENS:-40000000}
ngram_tokens=${NGRAM_TOKENS:-20000000}
prompts=${PROMPTS_LIMIT:-0}            # 0: all 164 HumanEval prompts
plain_prompts=${PLAIN_PROMPTS:-40}     # prompts decoded with the plain draft, for the comparison
peer_seconds=${PEER_SECONDS:-240}
max_new=${MAX_NEW:-128}
all_stages=(corpus draft-plain oracle draft agreement ngram decode-greedy decode-topk decode-plain-draft peers intensity pack)
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=("${all_stages[@]}")
mkdir -p "$work/done" "$work/logs" "$out"

bundle() {
  # A bundle newer than the unpacked one (sent by a later command) replaces it before the next stage.
  local tarball=${BUNDLE_TARBALL:-$root/build/gpu-bundle.tar.xz}
  if [ -f "$tarball" ] && { [ ! -x "$home/current/gpu-bundle/bin/ssd-gpu" ] || [ "$tarball" -nt "$home/current/stamp" ]; }; then
    local fresh=$home/unpack-$$-$RANDOM
    mkdir -p "$fresh" && tar -C "$fresh" -xJf "$tarball" && touch -r "$tarball" "$fresh/stamp" && ln -sfn "$fresh" "$home/current.new" \
      && mv -T "$home/current.new" "$home/current" && echo "bundle: $(cat "$fresh/gpu-bundle/COMMIT")"
  fi
  [ -x "$home/current/gpu-bundle/bin/ssd-gpu" ] || { echo "gpu-paper: no bundle in $home and no build/gpu-bundle.tar.xz" >&2; exit 2; }
}
ssd() { "$home/current/gpu-bundle/bin/ssd-gpu" "$@"; }

needs() { for s in "$@"; do [ -f "$work/done/$s" ] || { echo "needs $s, which has not finished"; return 1; }; done; }

run_stage() {
  local name=$1
  if [ -f "$work/done/$name" ]; then echo "== $name: done already ($(cat "$work/done/$name") s)"; return 0; fi
  bundle
  echo "== $name: start $(date -u +%H:%M:%S)"
  local t0=$SECONDS
  if "stage_${name//-/_}" > >(tee "$work/logs/$name.log") 2>&1; then
    echo $((SECONDS - t0)) > "$work/done/$name"
    echo "== $name: done in $((SECONDS - t0)) s"
  else
    echo "$name" >> "$work/failed"
    echo "== $name: FAILED after $((SECONDS - t0)) s (log: $work/logs/$name.log)"
  fi
}

common=(--device cuda --dtype fp16 --cuda-graphs --max-new-tokens "$max_new" --prompts humaneval)

stage_corpus() { ssd corpus build --out "$work/corpus" --no-progress --val-percent 1; }
stage_draft_plain() {
  needs corpus && ssd train --profile paper --role draft --corpus "$work/corpus" --out "$work/draft-plain" --device cuda --no-progress \
    $( [ -d "$work/draft-plain/train-state" ] && echo --resume )
}
stage_oracle() {
  needs corpus draft-plain && ssd train --profile paper --role oracle --corpus "$work/corpus" --out "$work/oracle" --device cuda --no-progress \
    --train-tokens "$oracle_tokens" --compare-with "$work/draft-plain/final" $( [ -d "$work/oracle/train-state" ] && echo --resume )
}
stage_draft() {
  needs oracle draft-plain && ssd train --profile paper --role draft --corpus "$work/corpus" --out "$work/draft" --device cuda --no-progress \
    --distill-from "$work/oracle/final" --init "$work/draft-plain/final" $( [ -d "$work/draft/train-state" ] && echo --resume )
}
stage_agreement() {
  needs oracle draft draft-plain && ssd train agreement --oracle "$work/oracle/final" --draft "$work/draft-plain/final" \
    --draft "$work/draft/final" --corpus "$work/corpus" --device cuda --out "$out/agreement.json"
}
stage_ngram() {
  needs draft && ssd ngram fit --draft "$work/draft/final" --tokens "$ngram_tokens" --temperature 1.5 --min-bigram 2 --min-trigram 3 \
    --device cuda --out "$work/ngram.katz"
}
decode() { # NAME DRAFT [extra bench-decode flags...]
  local name=$1 draft=$2; shift 2
  ssd bench-decode --model "$work/oracle/final" --draft "$draft" --ngram "$work/ngram.katz" "${common[@]}" \
    --out "$work/$name.jsonl" --resume "$@" && gzip -kf "$work/$name.jsonl" && cp "$work/$name.jsonl.gz" "$work/$name.jsonl.provenance.json" "$out/" \
    && mv "$out/$name.jsonl.provenance.json" "$out/$name.jsonl.gz.provenance.json"
}
stage_decode_greedy() { needs oracle draft ngram && decode paper-greedy "$work/draft/final" --limit "$prompts"; }
stage_decode_topk() { needs oracle draft ngram && decode paper-topk50 "$work/draft/final" --limit "$prompts" --top-k 50 --temperature 1 --seed 1; }
stage_decode_plain_draft() {
  needs oracle draft-plain ngram && decode paper-greedy-plain-draft "$work/draft-plain/final" --methods baseline,speculative,staged \
    --limit "$plain_prompts"
}
stage_peers() {
  # transformers' decoding on the first prompts of our runs, then every run teacher-forced (tools/peers/pipeline.sh).
  needs decode-greedy decode-topk && PYTHON="$python" PEERS_BUDGET="$peer_seconds" MAX_NEW="$max_new" \
    bash "$root/tools/peers/pipeline.sh" "$work/oracle/final" "$work/draft/final" "$work/paper-greedy.jsonl" "$work/paper-topk50.jsonl" "$work/peers"
  local rc=$?
  for f in peers-greedy peers-topk; do
    [ -s "$work/peers/$f.jsonl" ] && gzip -kf "$work/peers/$f.jsonl" && cp "$work/peers/$f.jsonl.gz" "$out/" \
      && cp "$work/peers/$f.jsonl.provenance.json" "$out/$f.jsonl.gz.provenance.json" 2>/dev/null
  done
  [ -f "$work/peers/exactness.json" ] && cp "$work/peers/exactness.json" "$out/"
  return $rc
}
stage_intensity() {
  command -v ncu > /dev/null || { echo "no ncu on this host"; return 1; }
  ssd check intensity --shape 36x1280x20,4x512x8 --modes cuda-graph+fused --new-tokens 1,4,16,32,64 --metrics full \
    --out "$out/intensity.csv"
}
stage_pack() {
  # Small files only (the oracle stays on the host): logs, summaries, configs, the trigram's header, stage times.
  mkdir -p "$work/pack"
  for run in draft-plain oracle draft; do
    for f in summary.json train-log.csv final/config.json; do
      [ -f "$work/$run/$f" ] && cp "$work/$run/$f" "$work/pack/$run-$(basename "$f")"
    done
  done
  [ -f "$work/corpus/manifest.json" ] && cp "$work/corpus/manifest.json" "$work/pack/corpus-manifest.json"
  cp "$work"/logs/*.log "$work/pack/" 2>/dev/null
  cp "$work"/peers/*.log "$work/pack/" 2>/dev/null
  budget > "$work/pack/stage-times.txt"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv > "$work/pack/gpu.csv" 2>/dev/null
  tar -C "$work" -czf "$out/paper-run.tar.gz" pack
}

budget() {
  local total=0
  echo "stage times (s), WORK=$work:"
  for s in "${all_stages[@]}"; do
    if [ -f "$work/done/$s" ]; then printf '  %-20s %6s\n' "$s" "$(cat "$work/done/$s")"; total=$((total + $(cat "$work/done/$s")));
    elif grep -qx "$s" "$work/failed" 2>/dev/null; then printf '  %-20s %6s\n' "$s" FAILED;
    else printf '  %-20s %6s\n' "$s" -; fi
  done
  printf '  %-20s %6s\n' total "$total"
}

if [ "${stages[0]}" = status ]; then budget; exit 0; fi
for s in "${stages[@]}"; do
  case " ${all_stages[*]} " in *" $s "*) run_stage "$s" ;; *) echo "gpu-paper: unknown stage '$s' (${all_stages[*]}, status)" >&2; exit 2 ;; esac
done
budget
[ ! -f "$work/failed" ] || { echo "failed stages: $(tr '\n' ' ' < "$work/failed")"; exit 1; }
