#!/usr/bin/env bash
# Trains the mini family on a CUDA host from the GPU bundle (scripts/gpu-bundle.sh):
#   stage corpus|draft|oracle|ngram|pack, in that order, each resumable; WORK holds everything.
# Usage: scripts/gpu-train-mini.sh WORK STAGE... (e.g. "corpus draft oracle", then "ngram pack OUTDIR").
set -euo pipefail
work=$1; shift
ssd=${SSD_GPU:-/tmp/b/gpu-bundle/bin/ssd-gpu}
ngram_tokens=${NGRAM_TOKENS:-20000000}
mkdir -p "$work"
while [ $# -gt 0 ]; do
  stage=$1; shift
  echo "== $stage ($(date -u +%H:%M:%S))"
  case $stage in
    corpus) "$ssd" corpus build --out "$work/corpus" --no-progress --val-percent 1 ;;
    draft)  "$ssd" train --profile mini --role draft --corpus "$work/corpus" --out "$work/draft" --device cuda --no-progress \
              $( [ -d "$work/draft/train-state" ] && echo --resume ) ;;
    oracle) "$ssd" train --profile mini --role oracle --corpus "$work/corpus" --out "$work/oracle" --device cuda --no-progress \
              --compare-with "$work/draft/final" $( [ -d "$work/oracle/train-state" ] && echo --resume ) ;;
    ngram)  "$ssd" ngram fit --draft "$work/draft/final" --tokens "$ngram_tokens" --temperature 1.5 --batch 512 --length 256 \
              --min-bigram 2 --min-trigram 3 --device cuda --out "$work/ngram.katz" ;;
    pack)   out=$1; shift
            tar -C "$work" -cf - draft/final draft/summary.json draft/train-log.csv oracle/final oracle/summary.json \
              oracle/train-log.csv $( [ -f "$work/ngram.katz" ] && echo ngram.katz ) corpus/manifest.json \
              | split -b 15m - "$out/mini.tar.part-" ;;
    *) echo "unknown stage $stage" >&2; exit 2 ;;
  esac
done
