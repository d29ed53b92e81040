# Staged speculative decoding: build, test, reproduce.
#   make reproduce   decode the prompt set with every method on the shipped mini family (CPU), greedy and top-k, then
#                    the report (tables, figures, index.html) from those results (RESULTS/paper) and from the committed
#                    paper-scale GPU results (RESULTS/paper-gpu, when PAPER_RESULTS holds any)
#   make test        every CPU test
#   make peers-check transformers' decoding beside ours on the mini family (CPU), every run teacher-forced (needs torch
#                    and transformers in PYTHON; see docs/peers.md)
MVN ?= mvn -B -q
SSD := bin/ssd
MINI := models/mini
RESULTS ?= results/local
PROMPTS ?= default
LIMIT ?= 0
MAX_NEW ?= 128
THREADS ?= 1
# bench-forward CSVs for Figure 1 (optional; a CPU device needs PEAK_TFLOPS)
FORWARD ?=
PEAK_TFLOPS ?=
# The paper-scale family's committed GPU results (bench-decode JSONL, optionally gzipped; bench-forward-*.csv for
# Figure 1; *exactness*.json from the cross-implementation check): make paper-gpu reports on them when there are any.
PAPER_RESULTS ?= results/h200/paper

.PHONY: help build test peers-check reproduce reproduce-greedy reproduce-topk paper paper-gpu report tables figures bench bench-forward bench-ngram gpu-bundle gpu-test clean

help:
	@echo "make reproduce   every method on the prompt set with the shipped mini family, greedy and top-k (CPU), then make paper paper-gpu"
	@echo "make paper       the report from RESULTS into RESULTS/paper: index.html, Tables 1-2 (with the paper's cells beside ours),"
	@echo "                 Figures 2-3 (and 1 with FORWARD=CSV) as SVG and PNG"
	@echo "make paper-gpu   the same report from the committed paper-scale GPU results in PAPER_RESULTS into RESULTS/paper-gpu"
	@echo "make test        all CPU tests"
	@echo "make peers-check transformers' decoding beside ours on the mini family (CPU), every run teacher-forced (needs torch, transformers)"
	@echo "make build       build bin/ssd (harness/target/ssd.jar)"
	@echo "make bench       CPU benchmark figures (forward latency, n-gram query)"
	@echo "make gpu-bundle  build/gpu-bundle.tar.xz for a CUDA host with PyTorch (see README, GPU)"
	@echo "make gpu-test    the gpu-tagged tests with Maven on a CUDA machine (without Maven: gpu-bundle/bin/ssd-gpu-test)"
	@echo "                 on a GPU host: scripts/gpu-suite.sh tests|graphs|decode OUT records the GPU figures"
	@echo "variables: PROMPTS=default|builtin|humaneval|FILE LIMIT=N MAX_NEW=N RESULTS=DIR THREADS=N FORWARD=CSV PEAK_TFLOPS=X PYTHON=EXE"
	@echo "           PAPER_RESULTS=DIR (default results/h200/paper)"

build:
	$(MVN) install -DskipTests

test:
	mvn -B test
	python3 -m unittest discover -s tools/peers -p 'test_*.py'

# The peers on the CPU with the mini family (docs/peers.md): our methods and transformers' on PEERS_PROMPTS prompts,
# greedy and top-k; every run teacher-forced through transformers in fp32 (exit 1 on a mismatch); the same check against
# the draft, which must fail (the check can tell); then Table 2 with the peers' rows and the exactness table.
PYTHON ?= python3
PEERS_OUT ?= $(RESULTS)/peers-check
PEERS_PROMPTS ?= 3
PEERS_NEW ?= 32
PEERS_METHODS ?= hf-generate,hf-assisted,hf-prompt-lookup
PEERS_NEEDS ?= build

peers-check: $(PEERS_NEEDS)
	@$(PYTHON) -c 'import torch, transformers' 2>/dev/null || { echo "make peers-check: NOT RUN: $(PYTHON) cannot import torch and transformers (install them, or pass PYTHON=/path/to/python3)" >&2; exit 2; }
	@test -f $(MINI)/oracle/config.json || { echo "make: $(MINI)/oracle is missing" >&2; exit 2; }
	SSD_THREADS=$(THREADS) $(SSD) bench-decode --model $(MINI)/oracle --draft $(MINI)/draft --ngram $(MINI)/ngram.katz \
	  --prompts $(PROMPTS) --limit $(PEERS_PROMPTS) --max-new-tokens $(PEERS_NEW) --out $(PEERS_OUT)/greedy.jsonl
	SSD_THREADS=$(THREADS) $(SSD) bench-decode --model $(MINI)/oracle --draft $(MINI)/draft --ngram $(MINI)/ngram.katz \
	  --prompts $(PROMPTS) --limit $(PEERS_PROMPTS) --max-new-tokens $(PEERS_NEW) --top-k 50 --temperature 1 --seed 1 \
	  --out $(PEERS_OUT)/topk.jsonl
	$(PYTHON) tools/peers/hf_peers.py --results $(PEERS_OUT)/greedy.jsonl --model $(MINI)/oracle --draft $(MINI)/draft \
	  --methods $(PEERS_METHODS) --limit 2 --budget-seconds 600 --device cpu --out $(PEERS_OUT)/peers-greedy.jsonl
	$(PYTHON) tools/peers/hf_peers.py --results $(PEERS_OUT)/topk.jsonl --model $(MINI)/oracle --draft $(MINI)/draft \
	  --methods hf-generate --limit 1 --budget-seconds 300 --device cpu --out $(PEERS_OUT)/peers-topk.jsonl
	$(PYTHON) tools/peers/teacher_force.py --model $(MINI)/oracle --device cpu --out $(PEERS_OUT)/exactness.json \
	  --results $(PEERS_OUT)/greedy.jsonl $(PEERS_OUT)/topk.jsonl $(PEERS_OUT)/peers-greedy.jsonl $(PEERS_OUT)/peers-topk.jsonl
	@$(PYTHON) tools/peers/teacher_force.py --model $(MINI)/draft --device cpu --results $(PEERS_OUT)/greedy.jsonl \
	  --out $(PEERS_OUT)/control-draft.json > $(PEERS_OUT)/control-draft.log 2>&1; \
	if grep -q '^exactness (greedy): [1-9][0-9]* mismatches .*: FAIL$$' $(PEERS_OUT)/control-draft.log; then \
	  echo "control: our oracle's greedy outputs checked against the draft fail, as they must: $$(grep '^exactness (greedy)' $(PEERS_OUT)/control-draft.log)"; \
	else echo "make peers-check: the control (our oracle's outputs checked against the draft) did not fail on mismatches: the check cannot tell (see $(PEERS_OUT)/control-draft.log)" >&2; exit 1; fi
	$(SSD) tables --results $(PEERS_OUT)/greedy.jsonl --results $(PEERS_OUT)/topk.jsonl --results $(PEERS_OUT)/peers-greedy.jsonl \
	  --results $(PEERS_OUT)/peers-topk.jsonl --exactness $(PEERS_OUT)/exactness.json --out $(PEERS_OUT)/paper

# The embedded default: the mini family committed under models/mini (see models/mini/MANIFEST.json).
reproduce: reproduce-greedy reproduce-topk
	$(MAKE) paper RESULTS=$(RESULTS) PAPER_NEEDS=
	$(MAKE) paper-gpu RESULTS=$(RESULTS) PAPER_NEEDS=

reproduce-greedy: build
	@test -f $(MINI)/oracle/config.json || { echo "make: $(MINI)/oracle is missing: the mini family ships with the repository (git checkout $(MINI))" >&2; exit 2; }
	SSD_THREADS=$(THREADS) $(SSD) bench-decode --model $(MINI)/oracle --draft $(MINI)/draft --ngram $(MINI)/ngram.katz \
	  --prompts $(PROMPTS) --limit $(LIMIT) --max-new-tokens $(MAX_NEW) --out $(RESULTS)/mini-greedy.jsonl --resume

reproduce-topk: build
	@test -f $(MINI)/oracle/config.json || { echo "make: $(MINI)/oracle is missing" >&2; exit 2; }
	SSD_THREADS=$(THREADS) $(SSD) bench-decode --model $(MINI)/oracle --draft $(MINI)/draft --ngram $(MINI)/ngram.katz \
	  --prompts $(PROMPTS) --limit $(LIMIT) --max-new-tokens $(MAX_NEW) --top-k 50 --temperature 1 --seed 1 \
	  --out $(RESULTS)/mini-topk50.jsonl --resume

# The paper's tables and figures from the decoding results that reproduce wrote (any stage can be rerun alone).
# A sub-make (so the wildcard sees the files the decoding just wrote) that reproduce calls after building already:
# it passes PAPER_NEEDS= to skip a second build.
DECODE_RESULTS = $(wildcard $(RESULTS)/mini-greedy.jsonl $(RESULTS)/mini-topk50.jsonl)
PAPER_NEEDS ?= build

paper: report

# One page with everything (ssd report also writes the tables' Markdown and CSV and every figure as PNG, SVG for charts).
report: $(PAPER_NEEDS)
	@test -n "$(DECODE_RESULTS)" || { echo "make: no decoding results in $(RESULTS) (run make reproduce first)" >&2; exit 2; }
	$(SSD) report $(addprefix --results ,$(DECODE_RESULTS)) $(addprefix --forward ,$(FORWARD)) \
	  $(if $(PEAK_TFLOPS),--peak-tflops $(PEAK_TFLOPS)) --title "Staged speculative decoding, mini family on this machine: the paper's claims, checked" \
	  --out $(RESULTS)/paper

# The report on the committed paper-scale GPU results; says so and succeeds when there are none.
PAPER_DECODE = $(wildcard $(PAPER_RESULTS)/*.jsonl $(PAPER_RESULTS)/*.jsonl.gz)
PAPER_FORWARD = $(wildcard $(PAPER_RESULTS)/bench-forward-*.csv)
PAPER_PEERS = $(firstword $(wildcard $(PAPER_RESULTS)/*exactness*.json))

paper-gpu: $(if $(PAPER_DECODE),$(PAPER_NEEDS))
ifeq ($(strip $(PAPER_DECODE)),)
	@echo "make: no paper-scale GPU results in $(PAPER_RESULTS) (no *.jsonl or *.jsonl.gz): their report is skipped (PAPER_RESULTS=DIR reads another folder)"
else
	$(SSD) report $(addprefix --results ,$(PAPER_DECODE)) $(addprefix --forward ,$(PAPER_FORWARD)) \
	  $(addprefix --peer-exactness ,$(PAPER_PEERS)) --title "Staged speculative decoding, paper-scale family on the GPU: the paper's claims, checked" \
	  --out $(RESULTS)/paper-gpu
endif

tables: $(PAPER_NEEDS)
	@test -n "$(DECODE_RESULTS)" || { echo "make: no decoding results in $(RESULTS) (run make reproduce first)" >&2; exit 2; }
	$(SSD) tables $(addprefix --results ,$(DECODE_RESULTS)) --out $(RESULTS)/paper

figures: $(PAPER_NEEDS)
	@test -n "$(DECODE_RESULTS)" || { echo "make: no decoding results in $(RESULTS) (run make reproduce first)" >&2; exit 2; }
	$(SSD) figures $(addprefix --results ,$(DECODE_RESULTS)) $(addprefix --forward ,$(FORWARD)) \
	  $(if $(PEAK_TFLOPS),--peak-tflops $(PEAK_TFLOPS)) --out $(RESULTS)/paper

bench: bench-forward bench-ngram

bench-forward: build
	$(SSD) bench-forward --layers 12 --embd 768 --heads 12 --out $(RESULTS)/bench-forward-gpt2-small-fp32.csv

bench-ngram:
	$(MVN) -pl decoder test-compile
	java -cp decoder/target/test-classes:decoder/target/classes:$$(cat decoder/target/test-classpath.txt) org.openjdk.jmh.Main KatzTopK -wi 2 -i 3 -f 1

gpu-bundle:
	bash scripts/gpu-bundle.sh

gpu-test:
	mvn -B -Pgpu,gpu-test test

clean:
	$(MVN) clean
	rm -rf build
