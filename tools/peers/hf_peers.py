#!/usr/bin/env python3
"""Stock Hugging Face transformers decoding (the "peers") on the prompts, checkpoints, dtype and card of a bench-decode run.

For the prompts of one bench-decode JSONL file (the token ids, task ids and seeds it recorded), with the same oracle and
draft checkpoints, dtype, sampling mode and --max-new-tokens, and stopping at <|endoftext|> as bench-decode does, this
runs transformers' GPT2LMHeadModel.generate the ways a user would reach for:
  hf-generate         generate() with its default dynamic cache
  hf-static-compiled  generate(cache_implementation="static") with transformers' automatic torch.compile of the decoding
                      step (CompileConfig defaults: inductor, mode "reduce-overhead"): the fastest stock path
  hf-assisted         generate(assistant_model=<our draft>): transformers' assisted generation (speculative decoding)
  hf-prompt-lookup    generate(prompt_lookup_num_tokens=10): prompt lookup decoding
Greedy or top-k sampling follows the file's runs. Each prompt is timed alone, the device synchronised before and after,
after an untimed warm-up per method (for hf-static-compiled: the compilation and CUDA-graph recording, on the longest
prompt). Records go to --out in the bench-decode schema (plus "peer"), with a .provenance.json beside it. Methods share
--budget-seconds (time one leaves passes to the next) and stop at --limit prompts; each runs at least one prompt. At the
end it prints each peer's tokens/s against ours on the same prompts, and the targets. See docs/peers.md.

Example: python3 tools/peers/hf_peers.py --results ours-greedy.jsonl --model ORACLE_DIR --draft DRAFT_DIR \
             --out peers-greedy.jsonl --budget-seconds 180 --limit 20
"""
import argparse
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402
from peerlib import BadInput  # noqa: E402

METHODS = ("hf-generate", "hf-static-compiled", "hf-assisted", "hf-prompt-lookup")
DEFAULT_ORDER = "hf-assisted,hf-prompt-lookup,hf-generate,hf-static-compiled"
PROMPT_LOOKUP_TOKENS = 10  # the value transformers' docs use
LOOKUP_NGRAM = 2  # transformers' default, written out so that the records say it
WARMUP_TOKENS = 8
OURS = ("baseline", "speculative", "staged")
# (ours, peer, target, goal) checked on greedy runs; printed at the end
TARGETS = (("baseline", "hf-generate", 8.0, 20.0), ("baseline", "hf-static-compiled", 2.0, 3.0),
           ("staged", "hf-assisted", 5.0, None))


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--results", required=True, help="bench-decode JSONL (.gz too) of our methods: prompts, dtype, sampling, machine")
    p.add_argument("--model", required=True, help="the oracle checkpoint directory bench-decode used (Hugging Face GPT-2)")
    p.add_argument("--draft", help="the draft checkpoint directory (needed by hf-assisted)")
    p.add_argument("--out", required=True, help="peer results JSONL (a .provenance.json is written beside it)")
    p.add_argument("--methods", default=DEFAULT_ORDER,
                   help="comma-separated, run in this order (later ones inherit time earlier ones leave); default: %(default)s")
    p.add_argument("--budget-seconds", type=float, default=180.0,
                   help="wall time for the whole run, model loading and warm-ups included; default: %(default)s")
    p.add_argument("--limit", type=int, default=20, help="at most this many prompts per method (0: all); default: %(default)s")
    p.add_argument("--max-new-tokens", type=int,
                   help="as bench-decode ran (default: read from the results' provenance command)")
    p.add_argument("--device", help="cuda or cpu (default: cuda when available)")
    p.add_argument("--resume", action="store_true", help="keep the records already in --out and run only what is missing")
    args = p.parse_args(argv)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    for m in methods:
        if m not in METHODS:
            raise BadInput(f"unknown method {m!r} in --methods: expected some of {', '.join(METHODS)}")
    if len(set(methods)) != len(methods) or not methods:
        raise BadInput(f"--methods must name each method once, got {args.methods!r}")
    if "hf-assisted" in methods and not args.draft:
        raise BadInput("hf-assisted needs --draft DIR (our draft checkpoint)")
    if args.budget_seconds <= 0:
        raise BadInput(f"--budget-seconds must be positive, got {args.budget_seconds}")
    if args.limit < 0:
        raise BadInput(f"--limit must be >= 0, got {args.limit}")
    args.methods = methods
    return args


class Budget:
    """Splits the run's wall time among the methods: each gets an equal share of what is left when it starts, and starts
    another prompt only while the mean time of its prompts so far still fits its share (at least one prompt)."""

    def __init__(self, seconds, start, methods):
        self.deadline, self.left = start + seconds, methods

    def method_deadline(self, now):
        share = max(0.0, self.deadline - now) / self.left
        self.left -= 1
        return now + share

    @staticmethod
    def another_fits(now, deadline, times):
        return not times or now + sum(times) / len(times) <= deadline


def checkpoint_dir(path, flag):
    if not os.path.isfile(os.path.join(path, "config.json")):
        raise BadInput(f"{flag} {path}: not a checkpoint directory (no config.json)")
    return path


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    start = time.perf_counter()
    records = peerlib.read_records(args.results)
    ours = [r for r in records if "peer" not in r]
    if not ours:
        raise BadInput(f"{args.results}: no records of our methods (only peer records)")
    dtype = peerlib.one_value(ours, "dtype", args.results)
    machine_recorded = peerlib.one_value(ours, "device", args.results)
    mode = peerlib.one_value(ours, peerlib.sampling_mode, args.results)
    sampling = dict(ours[0]["sampling"])
    prompts = peerlib.prompts_of(ours)
    max_new = peerlib.max_new_tokens_of(args.results, ours, args.max_new_tokens)
    checkpoint_dir(args.model, "--model")
    if args.draft:
        checkpoint_dir(args.draft, "--draft")

    import torch  # after the cheap checks: bad input fails fast
    import transformers
    from transformers import CompileConfig, GPT2LMHeadModel
    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()

    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise BadInput("--device cuda: torch sees no CUDA device")
    machine = peerlib.machine_name(device)
    if machine != machine_recorded:
        raise BadInput(f"{args.results} was measured on '{machine_recorded}', this is '{machine}' ({device}): "
                       "run the peers on the machine and device bench-decode ran on")
    torch_dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[dtype]
    versions = {"torch": torch.__version__, "transformers": transformers.__version__,
                "cuda": torch.version.cuda if device.startswith("cuda") else None}
    prov = peerlib.provenance(machine, versions)
    peerlib.write_json(peerlib.provenance_path(args.out), prov)

    def load(path):
        return GPT2LMHeadModel.from_pretrained(path, dtype=torch_dtype).to(device).eval()

    oracle = load(args.model)
    draft = load(args.draft) if "hf-assisted" in args.methods else None
    if draft is not None and draft.config.vocab_size != oracle.config.vocab_size:
        raise BadInput(f"--draft {args.draft}: vocabulary {draft.config.vocab_size}, the oracle's is {oracle.config.vocab_size}")
    planned = prompts[:args.limit] if args.limit else prompts
    longest = max(planned, key=lambda p: len(p.tokens))
    if len(longest.tokens) + max_new > oracle.config.n_positions:
        raise BadInput(f"{longest.task_id}: {len(longest.tokens)} prompt tokens + {max_new} new exceed the model's "
                       f"{oracle.config.n_positions} positions")

    def sync():
        if device.startswith("cuda"):
            torch.cuda.synchronize()

    greedy = sampling["temperature"] == 0
    base_kwargs = dict(max_new_tokens=max_new, eos_token_id=peerlib.END_OF_TEXT, pad_token_id=peerlib.END_OF_TEXT)
    if greedy:
        base_kwargs["do_sample"] = False
    else:
        base_kwargs.update(do_sample=True, top_k=sampling["top_k"], temperature=sampling["temperature"], top_p=1.0)
    compile_config = CompileConfig()
    compile_config._compile_all_devices = True  # transformers compiles only on accelerators unless told; on CUDA a no-op
    per_method = {
        "hf-generate": {},
        "hf-static-compiled": dict(cache_implementation="static", compile_config=compile_config,
                                   max_cache_len=len(longest.tokens) + max_new),
        "hf-assisted": dict(assistant_model=draft),
        "hf-prompt-lookup": dict(prompt_lookup_num_tokens=PROMPT_LOOKUP_TOKENS, max_matching_ngram_size=LOOKUP_NGRAM),
    }

    def described(kwargs):
        """The generate() arguments as JSON (the draft by path, the compile config as its fields)."""
        out = {}
        for k, v in kwargs.items():
            if k == "assistant_model":
                out[k] = args.draft
                out["assistant"] = {n: effective(draft.generation_config, n) for n in
                                    ("num_assistant_tokens", "num_assistant_tokens_schedule", "assistant_confidence_threshold")}
            elif k == "compile_config":
                out[k] = {n: getattr(v, n) for n in ("fullgraph", "dynamic", "backend", "mode", "options")}
            else:
                out[k] = v
        return out

    def run_once(prompt, kwargs):
        ids = torch.tensor([prompt.tokens], dtype=torch.long, device=device)
        if not greedy:
            torch.manual_seed(prompt.seed)
        sync()
        t0 = time.perf_counter()
        out = oracle.generate(ids, attention_mask=torch.ones_like(ids), **kwargs)  # generate() runs under no_grad
        sync()
        return out[0, ids.shape[1]:].tolist(), time.perf_counter() - t0

    def compiled_graphs():
        import torch._dynamo.utils as du
        return du.counters["stats"]["unique_graphs"]

    def run_method(method, deadline, log):
        """Warm-up, then the method's prompts while its share of the budget lasts; returns its summary."""
        kwargs = dict(base_kwargs, **per_method[method])
        todo = [p for p in planned if (p.task_id, method) not in log.done]
        summary = {"generate": described(kwargs), "prompts_already_done": len(planned) - len(todo)}
        if not todo:
            return summary
        t0 = time.perf_counter()
        graphs_before = compiled_graphs()
        if method == "hf-static-compiled":
            # compiles the decoding step, then records its CUDA graphs; the longest prompt sizes the static cache
            run_once(longest, kwargs)
            run_once(longest, kwargs)
            if compiled_graphs() == graphs_before:
                raise RuntimeError("generate() did not compile the decoding step (transformers "
                                   f"{transformers.__version__}): the peer would not be what it says")
        else:
            run_once(todo[0], dict(kwargs, max_new_tokens=min(WARMUP_TOKENS, max_new)))
        warmup = time.perf_counter() - t0
        graphs_after_warmup = compiled_graphs()
        print(f"[{method}] warm-up {warmup:.1f} s; {deadline - time.perf_counter():.0f} s left for its prompts", file=sys.stderr)
        counter = ForwardCounter(oracle, draft if method == "hf-assisted" else None) \
            if method in ("hf-assisted", "hf-prompt-lookup") else None
        times, stopped_by = [], "all prompts" if len(planned) == len(prompts) else "limit"
        try:
            for i, prompt in enumerate(todo):
                if not Budget.another_fits(time.perf_counter(), deadline, times):
                    stopped_by = "budget"
                    break
                if counter:
                    counter.reset()
                tokens, seconds = run_once(prompt, kwargs)
                times.append(seconds)
                record = {
                    "task_id": prompt.task_id, "method": method, "device": machine, "dtype": dtype,
                    "sampling": dict(sampling, seed=prompt.seed),
                    "prompt_token_count": len(prompt.tokens), "prompt_tokens": prompt.tokens, "tokens": tokens,
                    "stop_reason": "eos" if tokens and tokens[-1] == peerlib.END_OF_TEXT else "max_tokens",
                    "ms_per_token": 1000 * seconds / max(1, len(tokens)),
                    "tokens_per_second": len(tokens) / seconds, "seconds": seconds,
                }
                if counter:
                    record["stats"] = counter.stats(len(tokens))
                record["peer"] = {"implementation": "transformers", "transformers": transformers.__version__,
                                  "torch": torch.__version__, "generate": summary["generate"], "warmup_seconds": warmup}
                log.append(record)
                print(f"[{method}] {i + 1}/{len(todo)} {prompt.task_id}: {len(tokens)} tokens in {seconds:.2f} s "
                      f"({len(tokens) / seconds:.1f} tokens/s)", file=sys.stderr)
        finally:
            if counter:
                counter.remove()
        recompiles = compiled_graphs() - graphs_after_warmup
        if recompiles:
            print(f"[{method}] warning: {recompiles} more graphs compiled while timing (counted in its seconds)", file=sys.stderr)
        summary.update(prompts=len(times), stopped_by=stopped_by, warmup_seconds=round(warmup, 3),
                       graphs_compiled_while_timing=recompiles)
        return summary

    log = peerlib.ResultsLog(args.out, args.resume)
    budget = Budget(args.budget_seconds, start, len(args.methods))
    summaries, failed = {}, []
    try:
        for method in args.methods:
            deadline = budget.method_deadline(time.perf_counter())
            try:
                summaries[method] = run_method(method, deadline, log)
            except Exception as e:  # one peer failing (e.g. its compilation) must not cost the others' measurements
                traceback.print_exc()
                first_line = (str(e).strip().splitlines() or [type(e).__name__])[0]
                summaries[method] = {"failed": f"{type(e).__name__}: {first_line}"}
                failed.append(f"{method}: {type(e).__name__}: {first_line}")
    finally:
        log.close()
    prov["peers"] = {"results": args.results, "budget_seconds": args.budget_seconds, "limit": args.limit,
                     "prompts_available": len(prompts), "max_new_tokens": max_new,
                     "wall_seconds": round(time.perf_counter() - start, 3), "methods": summaries}
    peerlib.write_json(peerlib.provenance_path(args.out), prov)
    if os.path.getsize(args.out) > 0:
        print(report(ours, peerlib.read_records(args.out), machine, dtype, mode, max_new, args.results))
    print(f"wrote {args.out} ({time.perf_counter() - start:.0f} s of the {args.budget_seconds:g} s budget)")
    for f in failed:
        print(f"FAILED {f}")
    return 1 if failed else 0


def effective(generation_config, name):
    """A generation setting as generate() applies it: the config's value, else transformers' global default for it."""
    value = getattr(generation_config, name, None)
    if value is None:
        defaults = getattr(type(generation_config), "_get_default_generation_params", None)
        value = defaults().get(name) if defaults else None
    return value


class ForwardCounter:
    """Counts the oracle's (and draft's) forwards of one generate() through forward pre-hooks (eager methods only)."""

    def __init__(self, oracle, draft):
        self.counts = [0, 0]
        self.handles = [oracle.register_forward_pre_hook(lambda *_: self._bump(0))]
        if draft is not None:
            self.handles.append(draft.register_forward_pre_hook(lambda *_: self._bump(1)))
        self.has_draft = draft is not None

    def _bump(self, i):
        self.counts[i] += 1

    def reset(self):
        self.counts = [0, 0]

    def remove(self):
        for h in self.handles:
            h.remove()

    def stats(self, tokens):
        """Oracle (and draft) forwards; tokens accepted per oracle forward beyond the oracle's own one."""
        calls = self.counts[0]
        s = {"oracle_forwards": calls, "mean_accepted_per_oracle_call": (tokens - calls) / calls if calls else 0.0}
        if self.has_draft:
            s["draft_forwards"] = self.counts[1]
        return s


def report(ours, peers, machine, dtype, mode, max_new, results_path):
    """Each peer's tokens/s, ours over it on the same prompts, and (greedy) the targets."""
    ours_rates = peerlib.rates_by_method(ours)
    peer_rates = peerlib.rates_by_method([r for r in peers if "peer" in r])
    baseline_tokens = {r["task_id"]: r["tokens"] for r in ours if r["method"] == "baseline"}
    lines = [f"peers on {machine}, {dtype}, {mode}, {max_new} new tokens; ours from {results_path}, restricted to each "
             "peer's prompts"]
    header = f"{'peer':20} {'prompts':>7} {'tokens/s':>9} " + " ".join(f"{m + '/peer':>16}" for m in OURS)
    if mode == "greedy":
        header += f" {'tokens = baseline':>18}"
    lines.append(header)
    ratios = {}
    for peer, by_task in peer_rates.items():
        tasks = list(by_task)
        rate = peerlib.pooled_rate(by_task, tasks)
        row = f"{peer:20} {len(tasks):>7} {rate:>9.1f} "
        cells = []
        for m in OURS:
            mine = peerlib.pooled_rate(ours_rates.get(m, {}), tasks)
            ratios[(m, peer)] = mine / rate if mine is not None else None
            cells.append(f"{peerlib.ratio_text(ratios[(m, peer)]):>16}")
        row += " ".join(cells)
        if mode == "greedy":
            same = sum(1 for r in peers if r.get("method") == peer and baseline_tokens.get(r["task_id"]) == r["tokens"])
            row += f" {f'{same}/{len(tasks)}':>18}"
        lines.append(row)
    if mode == "greedy":
        lines.append("targets (greedy, same prompts):")
        for mine, peer, target, goal in TARGETS:
            r = ratios.get((mine, peer))
            verdict = "not run" if r is None else ("met" if r >= target else "MISSED")
            goal_text = f", goal {goal:g}x" if goal else ""
            lines.append(f"  {mine} / {peer}: {peerlib.ratio_text(r)} (target >= {target:g}x{goal_text}): {verdict}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(peerlib.fail_on_bad_input("hf_peers", main))
