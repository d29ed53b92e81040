#!/usr/bin/env python3
"""Our outputs checked against an independent implementation: every run teacher-forced through transformers' GPT-2 in fp32.

For each record of the given JSONL files (bench-decode's, and hf_peers.py's), the prompt and the generated tokens go
through transformers' GPT2LMHeadModel forward in fp32 (highest matmul precision) in one pass, and each generated token
is classified against the logits that predicted it:
  greedy runs: argmax, tie (not the argmax, but within the tolerance of its logit) or mismatch (further below);
  top-k runs:  inside the reference top-k set, near_boundary (within the tolerance of the k-th largest logit, either
               side), or outside (below it by more).
The tolerance is the rounding the run's dtype explains (exactness.py: 1e-4 in fp32; 4 ulps of the position's largest
|logit| in fp16/bf16), or --epsilon. Counts per file and method, the largest tie gap and the first ties and mismatches
go to --out (JSON, with a .provenance.json); the exit status is 1 when any token is a mismatch or outside.

Example: python3 tools/peers/teacher_force.py --model ORACLE_DIR --results ours-greedy.jsonl peers-greedy.jsonl \
             --out exactness.json
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exactness  # noqa: E402
import peerlib  # noqa: E402
from peerlib import BadInput  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="the oracle checkpoint directory the runs decoded with")
    p.add_argument("--results", required=True, nargs="+", help="bench-decode and/or hf_peers.py JSONL files (.gz too)")
    p.add_argument("--out", required=True, help="the exactness report (JSON)")
    p.add_argument("--epsilon", type=float, help="a fixed tolerance for every dtype instead of the per-dtype rounding rule")
    p.add_argument("--examples", type=int, default=10, help="how many ties/mismatches to list per group; default: %(default)s")
    p.add_argument("--device", help="cuda or cpu (default: cuda when available)")
    args = p.parse_args(argv)
    if args.epsilon is not None and not args.epsilon >= 0:
        raise BadInput(f"--epsilon must be >= 0, got {args.epsilon}")
    if args.examples < 0:
        raise BadInput(f"--examples must be >= 0, got {args.examples}")
    if not os.path.isfile(os.path.join(args.model, "config.json")):
        raise BadInput(f"--model {args.model}: not a checkpoint directory (no config.json)")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    files = [(path, peerlib.read_records(path)) for path in args.results]

    import torch
    import transformers
    from transformers import GPT2LMHeadModel
    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    torch.set_float32_matmul_precision("highest")  # no TF32: the reference is plain fp32
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise BadInput("--device cuda: torch sees no CUDA device")
    model = GPT2LMHeadModel.from_pretrained(args.model, dtype=torch.float32).to(device).eval()
    vocab, positions = model.config.vocab_size, model.config.n_positions

    def tolerance(dtype, largest):
        return args.epsilon if args.epsilon is not None else exactness.tie_tolerance(dtype, largest)

    memo = {}  # the methods of a greedy task usually generate the same tokens: one forward for all of them

    def reference(prompt, tokens, k):
        """Per generated position: argmax, its logit, the token's logit, the largest |logit|, the k-th largest logit."""
        key = (tuple(prompt), tuple(tokens), k)
        if key not in memo:
            ids = torch.tensor([prompt + tokens[:-1]], dtype=torch.long, device=device)
            with torch.no_grad():
                logits = model(ids).logits[0, len(prompt) - 1:].float()
            tok = torch.tensor(tokens, dtype=torch.long, device=device)
            top, arg = logits.max(dim=1)
            memo[key] = (arg.tolist(), top.tolist(), logits.gather(1, tok[:, None])[:, 0].tolist(),
                         logits.abs().max(dim=1).values.tolist(),
                         logits.topk(k, dim=1).values[:, -1].tolist() if k else None)
        return memo[key]

    groups = {}  # (file, method, mode, dtype) -> Tally
    started, done, total = time.perf_counter(), 0, sum(len(r) for _, r in files)
    for path, records in files:
        for r in records:
            prompt, tokens = r["prompt_tokens"], r["tokens"]
            greedy = peerlib.is_greedy(r)
            mode = peerlib.sampling_mode(r)
            key = (path, r["method"], mode, r["dtype"])
            tally = groups.get(key)
            if tally is None:
                tally = groups[key] = exactness.Tally(exactness.GREEDY_CLASSES if greedy else exactness.TOPK_CLASSES,
                                                      args.examples, peer="peer" in r)
            tally.runs += 1
            done += 1
            if done % 25 == 0 or done == total:
                print(f"teacher-forcing {done}/{total} runs ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
            if not tokens:
                continue
            if len(prompt) + len(tokens) - 1 > positions:
                raise BadInput(f"{r['_where']}: {len(prompt)} prompt + {len(tokens)} generated tokens exceed the model's "
                               f"{positions} positions")
            if max(tokens) >= vocab:
                raise BadInput(f"{r['_where']}: token id {max(tokens)} outside the model's vocabulary of {vocab}")
            k = r["sampling"]["top_k"]
            if not greedy and (k == 0 or k >= vocab):
                tally.counts["inside"] += len(tokens)  # no cut-off: every token is in the set
                continue
            arg, top, tok_logit, largest, kth = reference(prompt, tokens, 0 if greedy else k)
            for i, t in enumerate(tokens):
                tol = tolerance(r["dtype"], largest[i])
                if greedy:
                    cls, gap = exactness.classify_greedy(t, arg[i], tok_logit[i], top[i], tol)
                    detail = {"task_id": r["task_id"], "position": i, "token": t, "argmax": arg[i], "gap": gap,
                              "tolerance": tol}
                else:
                    cls, margin = exactness.classify_topk(tok_logit[i], kth[i], tol)
                    detail = {"task_id": r["task_id"], "position": i, "token": t, "k": k, "margin": margin,
                              "tolerance": tol}
                tally.add(cls, detail, tol)

    report = build_report(args, groups, device, transformers.__version__, torch.__version__)
    machine = peerlib.machine_name(device)
    peerlib.write_json(args.out, report)
    peerlib.write_json(peerlib.provenance_path(args.out), peerlib.provenance(
        machine, {"torch": torch.__version__, "transformers": transformers.__version__}))
    print(render(report))
    print(f"wrote {args.out}")
    return 0 if report["verdict"]["pass"] else 1


def build_report(args, groups, device, transformers_version, torch_version):
    greedy, topk = [], []
    for (path, method, mode, dtype), tally in groups.items():
        entry = {"file": path, "method": method, "peer": tally.peer, "sampling": mode, "dtype": dtype}
        entry.update(tally.as_json())
        (greedy if mode == "greedy" else topk).append(entry)
    mismatches = sum(g["mismatch"] for g in greedy)
    outside = sum(t["outside"] for t in topk)
    return {
        "model": args.model,
        "reference": f"transformers {transformers_version} GPT2LMHeadModel forward, fp32, highest matmul precision, "
                     f"torch {torch_version}, {device}",
        "tolerance": (f"fixed {args.epsilon}" if args.epsilon is not None else
                      f"per run dtype: fp32 {exactness.F32_TIE}; fp16/bf16 {exactness.HALF_TIE_ULPS} ulps of the "
                      "position's largest |logit|"),
        "greedy": greedy,
        "top_k": topk,
        "verdict": {
            "greedy_runs": sum(g["runs"] for g in greedy), "greedy_tokens": sum(g["tokens"] for g in greedy),
            "ties": sum(g["tie"] for g in greedy), "mismatches": mismatches,
            "topk_runs": sum(t["runs"] for t in topk), "topk_tokens": sum(t["tokens"] for t in topk),
            "near_boundary": sum(t["near_boundary"] for t in topk), "outside": outside,
            "pass": mismatches == 0 and outside == 0,
        },
    }


def render(report):
    lines = [f"teacher-forced through {report['reference']}; tolerance {report['tolerance']}"]
    if report["greedy"]:
        lines.append(f"{'method':20} {'dtype':5} {'runs':>5} {'tokens':>7} {'argmax':>7} {'tie':>5} {'mismatch':>8} "
                     f"{'largest tie gap':>15}  file")
        for g in report["greedy"]:
            lines.append(f"{g['method']:20} {g['dtype']:5} {g['runs']:>5} {g['tokens']:>7} {g['argmax']:>7} {g['tie']:>5} "
                         f"{g['mismatch']:>8} {(format(g['largest_tie_gap'], '.3g') if g['tie'] else '-'):>15}  {g['file']}")
            for m in g["first_mismatch"][:3]:
                lines.append(f"    mismatch: {m['task_id']} position {m['position']}: token {m['token']}, argmax "
                             f"{m['argmax']}, gap {m['gap']:.4g} > {m['tolerance']:.3g}")
    if report["top_k"]:
        lines.append(f"{'method':20} {'dtype':5} {'runs':>5} {'tokens':>7} {'inside':>7} {'near boundary':>13} "
                     f"{'outside':>7}  sampling, file")
        for t in report["top_k"]:
            lines.append(f"{t['method']:20} {t['dtype']:5} {t['runs']:>5} {t['tokens']:>7} {t['inside']:>7} "
                         f"{t['near_boundary']:>13} {t['outside']:>7}  {t['sampling']}, {t['file']}")
    v = report["verdict"]
    if report["greedy"]:
        lines.append(f"exactness (greedy): {v['mismatches']} mismatches beyond the tolerance in {v['greedy_runs']} runs "
                     f"({v['greedy_tokens']} tokens, {v['ties']} ties): {'PASS' if v['mismatches'] == 0 else 'FAIL'}")
    if report["top_k"]:
        lines.append(f"exactness (top-k): {v['outside']} tokens outside the reference top-k in {v['topk_runs']} runs "
                     f"({v['topk_tokens']} tokens, {v['near_boundary']} near the boundary): "
                     f"{'PASS' if v['outside'] == 0 else 'FAIL'}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(peerlib.fail_on_bad_input("teacher_force", main))
