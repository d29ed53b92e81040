# Staged speculative decoding: build, test, reproduce.
#   make reproduce   decode the prompt set with every method on the shipped mini family (CPU), greedy and top-k, then
#                    regenerate the paper's tables and figures from those results (RESULTS/paper)
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

.PHONY: help build test peers-check reproduce reproduce-greedy reproduce-topk paper tables figures bench bench-forward bench-ngram gpu-bundle gpu-test clean

help:
	@echo "make reproduce   every method on the prompt set with the shipped mini family, greedy and top-k (CPU), then make paper"
	@echo "make paper       Tables 1-2 and Figures 2-3 (and 1 with FORWARD=CSV) from RESULTS into RESULTS/paper"
	@echo "make test        all CPU tests"
	@echo "make peers-check transformers' decoding beside ours on the mini family (CPU), every run teacher-forced (needs torch, transformers)"
	@echo "make build       build bin/ssd (harness/target/ssd.jar)"
	@echo "make bench       CPU benchmark figures (forward latency, n-gram query)"
	@echo "make gpu-bundle  build/gpu-bundle.tar.xz for a CUDA host with PyTorch (see README, GPU)"
	@echo "make gpu-test    the gpu-tagged tests with Maven on a CUDA machine (without Maven: gpu-bundle/bin/ssd-gpu-test)"
	@echo "                 on a GPU host: scripts/gpu-suite.sh tests|graphs|decode OUT records the GPU figures"
	@echo "variables: PROMPTS=default|builtin|humaneval|FILE LIMIT=N MAX_NEW=N RESULTS=DIR THREADS=N FORWARD=CSV PEAK_TFLOPS=X PYTHON=EXE"

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

paper: tables figures

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
