#!/usr/bin/env python3
"""Writes models/mini/MANIFEST.json: what the shipped mini family is, how it was made, and a sha256 of every file.

Usage: scripts/mini-manifest.py models/mini CARD DATE COMMIT  (run after copying the trained family in place)."""
import hashlib, json, os, sys

root, card, date, commit = sys.argv[1:5]
training = os.path.join(root, "training")
oracle = json.load(open(os.path.join(training, "oracle-summary.json")))
draft = json.load(open(os.path.join(training, "draft-summary.json")))
files = {}
for base, _, names in sorted(os.walk(root)):
    for name in sorted(names):
        path = os.path.join(base, name)
        rel = os.path.relpath(path, root)
        if rel == "MANIFEST.json":
            continue
        files[rel] = {"bytes": os.path.getsize(path), "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest()}
manifest = {
    "family": "mini",
    "profile": "mini",
    "corpus_manifest_sha256": oracle["corpus_manifest_sha256"],
    "oracle": {k: oracle[k] for k in ("tokens", "parameters", "final_train_loss", "final_val_loss", "tokens_per_second", "mfu")},
    "draft": {k: draft[k] for k in ("tokens", "parameters", "final_train_loss", "final_val_loss", "tokens_per_second", "mfu")},
    "same_windows_val_loss": oracle.get("comparison"),
    "ngram": {"file": "ngram.katz", "sampled_from": "draft", "temperature": 1.5, "tokens": 10_000_000,
              "min_bigram": 2, "min_trigram": 3},
    "stored_dtype": "bf16",
    "trained_on": card,
    "date": date,
    "commit": commit,
    "commands": [
        "scripts/gpu-bundle.sh  (on the CPU machine)",
        "NGRAM_TOKENS=10000000 scripts/gpu-train-mini.sh /tmp/mini corpus draft oracle ngram pack OUT  (on the GPU host)",
        "ssd checkpoint convert --in oracle/final --out models/mini/oracle --dtype bf16 --max-shard-mb 16  (and the draft)",
    ],
    "files": files,
}
with open(os.path.join(root, "MANIFEST.json.tmp"), "w") as f:
    json.dump(manifest, f, indent=2)
    f.write("\n")
os.replace(os.path.join(root, "MANIFEST.json.tmp"), os.path.join(root, "MANIFEST.json"))
print(f"wrote {root}/MANIFEST.json ({len(files)} files, {sum(v['bytes'] for v in files.values()):,} bytes)")
