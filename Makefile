# Staged speculative decoding: build, test, reproduce.
#   make reproduce   decode the prompt set with every method on the shipped mini family (CPU), greedy and top-k, then
#                    regenerate the paper's tables and figures from those results (RESULTS/paper)
#   make test        every CPU test
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

.PHONY: help build test reproduce reproduce-greedy reproduce-topk paper tables figures bench bench-forward bench-ngram gpu-bundle gpu-test clean

help:
	@echo "make reproduce   every method on the prompt set with the shipped mini family, greedy and top-k (CPU), then make paper"
	@echo "make paper       Tables 1-2 and Figures 2-3 (and 1 with FORWARD=CSV) from RESULTS into RESULTS/paper"
	@echo "make test        all CPU tests"
	@echo "make build       build bin/ssd (harness/target/ssd.jar)"
	@echo "make bench       CPU benchmark figures (forward latency, n-gram query)"
	@echo "make gpu-bundle  build/gpu-bundle.tar.xz for a CUDA host with PyTorch (see README, GPU)"
	@echo "make gpu-test    the gpu-tagged tests with Maven on a CUDA machine (without Maven: gpu-bundle/bin/ssd-gpu-test)"
	@echo "                 on a GPU host: scripts/gpu-suite.sh tests|graphs|decode OUT records the GPU figures"
	@echo "variables: PROMPTS=default|builtin|humaneval|FILE LIMIT=N MAX_NEW=N RESULTS=DIR THREADS=N FORWARD=CSV PEAK_TFLOPS=X"

build:
	$(MVN) install -DskipTests

test:
	mvn -B test

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
