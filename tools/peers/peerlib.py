"""Shared plumbing of the peer tools: bench-decode JSONL records, provenance sidecars, results files, machine names.

Plain Python (no numpy, no torch) so that its unit tests run anywhere; hf_peers.py and teacher_force.py add torch.
"""
import gzip
import json
import math
import os
import platform
import shlex
import subprocess
import sys
from datetime import datetime, timezone

END_OF_TEXT = 50256  # GPT-2's <|endoftext|>: bench-decode stops at it (StopConditions), so the peers do too
BENCH_DECODE_DEFAULT_MAX_NEW_TOKENS = 128  # bench-decode's --max-new-tokens default


class BadInput(Exception):
    """Input the tools refuse: the message is the one line printed (file, value, what was expected)."""


def fail_on_bad_input(tool, main):
    """Runs main(); a BadInput ends the process with one line on stderr and exit status 1."""
    try:
        return main()
    except BadInput as e:
        print(f"{tool}: {e}", file=sys.stderr)
        return 1


# --- bench-decode records -------------------------------------------------------------------------------------------

def _open_text(path):
    return gzip.open(path, "rt", encoding="utf-8") if str(path).endswith(".gz") else open(path, encoding="utf-8")


def _field(record, dotted, where):
    node = record
    for part in dotted.split("."):
        if not isinstance(node, dict) or node.get(part) is None:
            hint = ""
            if dotted == "prompt_tokens":
                hint = (" (the prompt's token ids: bench-decode must keep prompt_tokens in its records, and peer records "
                        "carry them too)")
            raise BadInput(f"{where}: missing field {dotted}{hint}")
        node = node[part]
    return node


def _token_list(record, name, where):
    value = _field(record, name, where)
    if not isinstance(value, list) or not all(isinstance(t, int) and not isinstance(t, bool) and 0 <= t < 2 ** 31 for t in value):
        raise BadInput(f"{where}: field {name} must be a list of token ids")
    return value


def read_records(path):
    """The records of a bench-decode (or peer) JSONL file, in file order, each checked for the fields the tools use.

    Each record gets "_where" ("file:line") for messages. A name ending in .gz is read through gzip."""
    if not os.path.isfile(path):
        raise BadInput(f"{path}: no such file")
    records = []
    with _open_text(path) as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                raise BadInput(f"{where}: not valid JSON ({e.msg})") from None
            if not isinstance(r, dict):
                raise BadInput(f"{where}: expected a JSON object")
            for name in ("task_id", "method", "device", "dtype"):
                if not isinstance(_field(r, name, where), str):
                    raise BadInput(f"{where}: field {name} must be a string")
            if r["dtype"] not in ("fp32", "fp16", "bf16"):
                raise BadInput(f"{where}: dtype must be fp32, fp16 or bf16, got {r['dtype']!r}")
            temperature = _field(r, "sampling.temperature", where)
            top_k = _field(r, "sampling.top_k", where)
            seed = _field(r, "sampling.seed", where)
            if not isinstance(temperature, (int, float)) or temperature < 0:
                raise BadInput(f"{where}: sampling.temperature must be a number >= 0")
            if not isinstance(top_k, int) or top_k < 0 or not isinstance(seed, int):
                raise BadInput(f"{where}: sampling.top_k and sampling.seed must be integers (top_k >= 0)")
            _token_list(r, "prompt_tokens", where)
            _token_list(r, "tokens", where)
            if not r["prompt_tokens"]:
                raise BadInput(f"{where}: prompt_tokens is empty")
            r["_where"] = where
            records.append(r)
    if not records:
        raise BadInput(f"{path}: no records, expected bench-decode JSONL")
    return records


def sampling_mode(record):
    """'greedy', or 'top-k (k=50, T=1)' as the tables name it."""
    s = record["sampling"]
    if s["temperature"] == 0:
        return "greedy"
    t = ("%f" % s["temperature"]).rstrip("0").rstrip(".")
    return f"top-k (k={s['top_k']}, T={t})" if s["top_k"] > 0 else f"sampling (T={t})"


def is_greedy(record):
    return record["sampling"]["temperature"] == 0


class Prompt:
    """One prompt of the run: task id, token ids and the sampling seed bench-decode used for it."""

    def __init__(self, task_id, tokens, seed):
        self.task_id, self.tokens, self.seed = task_id, tokens, seed

    def __repr__(self):
        return f"Prompt({self.task_id!r}, {len(self.tokens)} tokens, seed {self.seed})"


def prompts_of(records):
    """The prompts in order of first appearance; every record of a task must carry the same prompt tokens and seed."""
    prompts = {}
    for r in records:
        p = prompts.get(r["task_id"])
        if p is None:
            prompts[r["task_id"]] = Prompt(r["task_id"], r["prompt_tokens"], r["sampling"]["seed"])
        elif p.tokens != r["prompt_tokens"]:
            raise BadInput(f"{r['_where']}: prompt_tokens of {r['task_id']} differ from an earlier record of the same task")
        elif p.seed != r["sampling"]["seed"]:
            raise BadInput(f"{r['_where']}: sampling.seed of {r['task_id']} differs from an earlier record of the same task")
    return list(prompts.values())


def one_value(records, key, path):
    """The single value of records[key] (e.g. one dtype per file); several are refused."""
    values = sorted({key(r) if callable(key) else r[key] for r in records}, key=str)
    if len(values) != 1:
        name = key if isinstance(key, str) else "sampling mode"
        raise BadInput(f"{path}: expected one {name} per file, found {', '.join(map(str, values))}")
    return values[0]


def max_new_tokens_of(results_path, records, flag):
    """The --max-new-tokens bench-decode ran with: from its provenance command (its default when the flag is absent there),
    or the flag; both must agree, and no record may exceed it."""
    from_command = None
    sidecar = provenance_path(results_path)
    if os.path.isfile(sidecar):
        try:
            with open(sidecar, encoding="utf-8") as f:
                command = json.load(f).get("command", "")
        except (OSError, json.JSONDecodeError) as e:
            raise BadInput(f"{sidecar}: not valid JSON ({e})") from None
        args = shlex.split(command) if command else []
        from_command = BENCH_DECODE_DEFAULT_MAX_NEW_TOKENS
        for i, a in enumerate(args):
            if a == "--max-new-tokens" and i + 1 < len(args):
                from_command = int(args[i + 1])
            elif a.startswith("--max-new-tokens="):
                from_command = int(a.split("=", 1)[1])
    if flag is not None and from_command is not None and flag != from_command:
        raise BadInput(f"--max-new-tokens {flag} disagrees with {sidecar}, whose command ran with {from_command}")
    n = flag if flag is not None else from_command
    if n is None:
        raise BadInput(f"{results_path} has no provenance sidecar ({sidecar}): pass --max-new-tokens N as bench-decode ran")
    if n < 1:
        raise BadInput(f"--max-new-tokens must be at least 1, got {n}")
    for r in records:
        if len(r["tokens"]) > n:
            raise BadInput(f"{r['_where']}: {len(r['tokens'])} tokens, more than --max-new-tokens {n}")
    return n


def rates_by_method(records):
    """method -> task -> (tokens, seconds), pooled over the task's records of that method."""
    out = {}
    for r in records:
        seconds = r.get("seconds")
        if not isinstance(seconds, (int, float)) or not seconds > 0:
            raise BadInput(f"{r['_where']}: field seconds must be a positive number")
        t = out.setdefault(r["method"], {}).setdefault(r["task_id"], [0, 0.0])
        t[0] += len(r["tokens"])
        t[1] += seconds
    return out


def pooled_rate(by_task, tasks):
    """Tokens per second over `tasks` (all present in by_task), or None when a task is missing."""
    if not tasks or any(t not in by_task for t in tasks):
        return None
    tokens = sum(by_task[t][0] for t in tasks)
    seconds = sum(by_task[t][1] for t in tasks)
    return tokens / seconds if seconds > 0 else None


# --- machine and provenance ------------------------------------------------------------------------------------------

def machine_name(device):
    """The machine as bench-decode names it (decoder's MachineInfo): nvidia-smi's GPU name, else 'CUDA GPU'; on a CPU,
    /proc/cpuinfo's model name and the cores this process may use."""
    if device.startswith("cuda"):
        try:
            out = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True,
                                 text=True, timeout=10)
            if out.returncode == 0 and out.stdout.strip():
                return out.stdout.strip().splitlines()[0]
        except (OSError, subprocess.TimeoutExpired):
            pass
        return "CUDA GPU"
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{model} ({cores} cores)"


def git_commit():
    """SSD_GIT_COMMIT (GPU hosts have no git), else the checkout's HEAD with -dirty for tracked changes, else 'unknown'."""
    env = os.environ.get("SSD_GIT_COMMIT", "").strip()
    if env:
        return env
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return "unknown"
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True,
                                timeout=10)
        return head.stdout.strip() + ("-dirty" if status.returncode != 0 or status.stdout.strip() else "")
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def provenance(machine, versions):
    """The fields of the Java side's Provenance (command, machine, date, git_commit), with the Python-side versions in
    place of java/ssd_properties."""
    p = {
        "command": " ".join(shlex.quote(a) for a in ["python3"] + sys.argv),
        "machine": machine,
        "date": datetime.now(timezone.utc).isoformat(),
        "git_commit": git_commit(),
        "python": platform.python_version(),
    }
    p.update(versions)
    return p


def provenance_path(results_path):
    return str(results_path) + ".provenance.json"


def write_atomically(path, text):
    """Writes text to a temporary file beside path, then renames it over path."""
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    tmp = os.path.join(parent, "." + os.path.basename(path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def write_json(path, obj):
    write_atomically(path, json.dumps(obj, indent=2) + "\n")


class ResultsLog:
    """A JSONL results file written one finished record at a time (flushed), so an interrupted run keeps what it finished;
    with resume, complete records are kept and a torn last line is dropped (as the Java ResultsLog does)."""

    def __init__(self, path, resume):
        self.path = path
        self.existing = []
        if resume and os.path.isfile(path):
            keep = []
            with open(path, encoding="utf-8") as f:
                for line in f:
                    try:
                        r = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # cut off by an interruption: redone
                    if isinstance(r, dict):
                        self.existing.append(r)
                        keep.append(json.dumps(r) + "\n")
            write_atomically(path, "".join(keep))
            self.file = open(path, "a", encoding="utf-8")
        else:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            self.file = open(path, "w", encoding="utf-8")
        self.done = {(r.get("task_id"), r.get("method")) for r in self.existing}

    def append(self, record):
        self.file.write(json.dumps(record) + "\n")
        self.file.flush()
        self.done.add((record["task_id"], record["method"]))

    def close(self):
        self.file.close()


def ratio_text(x):
    return "-" if x is None or not math.isfinite(x) else f"{x:.2f}x"
