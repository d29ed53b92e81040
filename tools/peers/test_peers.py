"""Unit tests of the peer tools' plain-Python parts (no torch): records, tolerances, classification, budget, report.

Run: python3 -m unittest discover -s tools/peers -p 'test_*.py'   (make test runs them; make peers-check runs the tools)
"""
import gzip
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exactness  # noqa: E402
import hf_peers  # noqa: E402
import peerlib  # noqa: E402
from peerlib import BadInput  # noqa: E402


def record(task, method, tokens, seconds=1.0, temperature=0.0, top_k=0, seed=0, prompt=(1, 2, 3), dtype="fp16", **extra):
    r = {"task_id": task, "method": method, "device": "Test GPU", "dtype": dtype,
         "sampling": {"temperature": temperature, "top_k": top_k, "seed": seed},
         "prompt_tokens": list(prompt), "tokens": list(tokens), "seconds": seconds}
    r.update(extra)
    return r


class Files(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def write(self, name, lines, opener=open):
        path = os.path.join(self.dir.name, name)
        with opener(path, "wt", encoding="utf-8") as f:
            for line in lines:
                f.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
        return path


class RecordsTest(Files):
    def test_reads_plain_and_gzipped_records_in_file_order(self):
        rows = [record("t/0", "baseline", [5, 6]), "", record("t/1", "staged", [7])]
        for name, opener in (("a.jsonl", open), ("a.jsonl.gz", gzip.open)):
            path = self.write(name, rows, opener)
            rs = peerlib.read_records(path)
            self.assertEqual([r["task_id"] for r in rs], ["t/0", "t/1"])
            self.assertEqual(rs[1]["_where"], f"{path}:3")

    def test_refusals_name_file_line_and_what_was_expected(self):
        no_prompt = record("t/0", "baseline", [5])
        del no_prompt["prompt_tokens"]
        cases = [
            (no_prompt, ":1: missing field prompt_tokens (the prompt's token ids"),
            ("{\"task_id\": ", ":1: not valid JSON ("),
            ([1, 2], ":1: expected a JSON object"),
            (record("t/0", "baseline", ["x"]), ":1: field tokens must be a list of token ids"),
            (record("t/0", "baseline", [5], dtype="fp8"), ":1: dtype must be fp32, fp16 or bf16, got 'fp8'"),
            (record("t/0", "baseline", [5], prompt=()), ":1: prompt_tokens is empty"),
        ]
        for row, message in cases:
            path = self.write("bad.jsonl", [row])
            with self.assertRaises(BadInput) as e:
                peerlib.read_records(path)
            self.assertIn(path + message, str(e.exception))
            self.assertNotIn("\n", str(e.exception))
        with self.assertRaisesRegex(BadInput, "no records, expected bench-decode JSONL"):
            peerlib.read_records(self.write("empty.jsonl", ["", " "]))
        with self.assertRaisesRegex(BadInput, "no such file"):
            peerlib.read_records(os.path.join(self.dir.name, "absent.jsonl"))

    def test_prompts_come_in_first_seen_order_and_must_agree(self):
        rs = peerlib.read_records(self.write("a.jsonl", [record("t/1", "baseline", [1], seed=4), record("t/0", "baseline", [1]),
                                                         record("t/1", "staged", [1], seed=4)]))
        self.assertEqual([(p.task_id, p.seed) for p in peerlib.prompts_of(rs)], [("t/1", 4), ("t/0", 0)])
        bad = peerlib.read_records(self.write("b.jsonl", [record("t/0", "baseline", [1]), record("t/0", "staged", [1], prompt=(9,))]))
        with self.assertRaisesRegex(BadInput, r"b.jsonl:2: prompt_tokens of t/0 differ"):
            peerlib.prompts_of(bad)

    def test_max_new_tokens_comes_from_the_provenance_command(self):
        path = self.write("a.jsonl", [record("t/0", "baseline", [1] * 32)])
        rs = peerlib.read_records(path)
        with self.assertRaisesRegex(BadInput, "no provenance sidecar"):
            peerlib.max_new_tokens_of(path, rs, None)
        self.assertEqual(peerlib.max_new_tokens_of(path, rs, 32), 32)
        peerlib.write_json(peerlib.provenance_path(path), {"command": "ssd bench-decode --model m --max-new-tokens 64"})
        self.assertEqual(peerlib.max_new_tokens_of(path, rs, None), 64)
        with self.assertRaisesRegex(BadInput, "--max-new-tokens 32 disagrees with .* ran with 64"):
            peerlib.max_new_tokens_of(path, rs, 32)
        peerlib.write_json(peerlib.provenance_path(path), {"command": "ssd bench-decode --model m"})
        self.assertEqual(peerlib.max_new_tokens_of(path, rs, None), 128)  # bench-decode's default
        long_path = self.write("b.jsonl", [record("t/0", "baseline", [1] * 33)])
        with self.assertRaisesRegex(BadInput, "b.jsonl:1: 33 tokens, more than --max-new-tokens 32"):
            peerlib.max_new_tokens_of(long_path, peerlib.read_records(long_path), 32)

    def test_one_setup_per_file(self):
        rs = peerlib.read_records(self.write("a.jsonl", [record("t/0", "baseline", [1]), record("t/0", "staged", [1], dtype="fp32")]))
        with self.assertRaisesRegex(BadInput, "expected one dtype per file, found fp16, fp32"):
            peerlib.one_value(rs, "dtype", "a.jsonl")
        self.assertEqual(peerlib.one_value(rs, peerlib.sampling_mode, "a.jsonl"), "greedy")
        self.assertEqual(peerlib.sampling_mode(record("t", "m", [1], temperature=1.0, top_k=50)), "top-k (k=50, T=1)")

    def test_results_log_keeps_finished_records_and_drops_a_torn_line(self):
        path = os.path.join(self.dir.name, "out.jsonl")
        log = peerlib.ResultsLog(path, resume=False)
        log.append(record("t/0", "hf-generate", [1]))
        log.close()
        with open(path, "a", encoding="utf-8") as f:
            f.write('{"task_id": "t/1", "meth')  # killed mid-line
        log = peerlib.ResultsLog(path, resume=True)
        self.assertEqual(log.done, {("t/0", "hf-generate")})
        log.append(record("t/1", "hf-generate", [2]))
        log.close()
        self.assertEqual([r["task_id"] for r in peerlib.read_records(path)], ["t/0", "t/1"])


class ExactnessTest(unittest.TestCase):
    def test_tolerance_is_the_decoders_tie_rule(self):
        self.assertEqual(exactness.tie_tolerance("fp32", 30.0), 1e-4)
        self.assertEqual(exactness.tie_tolerance("fp16", 20.0), 4 * 2.0 ** (4 - 10))  # largest in [16, 32): ulp 2^-6
        self.assertEqual(exactness.tie_tolerance("fp16", 16.0), 0.0625)
        self.assertEqual(exactness.tie_tolerance("fp16", 15.99), 0.03125)
        self.assertEqual(exactness.tie_tolerance("bf16", -20.0), 0.5)
        self.assertGreater(exactness.tie_tolerance("fp16", 0.0), 0)
        with self.assertRaises(ValueError):
            exactness.tie_tolerance("fp8", 1.0)

    def test_greedy_classes(self):
        self.assertEqual(exactness.classify_greedy(5, 5, 10.0, 10.0, 0.01), ("argmax", 0.0))
        self.assertEqual(exactness.classify_greedy(5, 6, 9.995, 10.0, 0.01)[0], "tie")
        self.assertEqual(exactness.classify_greedy(5, 6, 10.0, 10.0, 0.0)[0], "tie")  # an exact tie broken the other way
        cls, gap = exactness.classify_greedy(5, 6, 9.5, 10.0, 0.01)
        self.assertEqual((cls, gap), ("mismatch", 0.5))

    def test_topk_classes(self):
        self.assertEqual(exactness.classify_topk(3.0, 2.0, 0.01)[0], "inside")
        self.assertEqual(exactness.classify_topk(2.0, 2.0, 0.01)[0], "near_boundary")  # the k-th itself
        self.assertEqual(exactness.classify_topk(1.995, 2.0, 0.01)[0], "near_boundary")
        self.assertEqual(exactness.classify_topk(1.9, 2.0, 0.01), ("outside", 1.9 - 2.0))

    def test_tally_counts_and_keeps_the_first_examples(self):
        t = exactness.Tally(exactness.GREEDY_CLASSES, examples=1)
        t.runs = 1
        t.add("argmax", {}, 1e-4)
        t.add("tie", {"gap": 0.02, "n": 1}, 0.06)
        t.add("tie", {"gap": 0.05, "n": 2}, 0.06)
        j = t.as_json()
        self.assertEqual((j["tokens"], j["argmax"], j["tie"], j["mismatch"]), (3, 1, 2, 0))
        self.assertEqual(j["largest_tie_gap"], 0.05)
        self.assertEqual(j["first_tie"], [{"gap": 0.02, "n": 1}])
        self.assertEqual(j["tolerance_range"], [1e-4, 0.06])


class PeersTest(unittest.TestCase):
    def test_budget_shares_what_is_left_among_the_methods_left(self):
        b = hf_peers.Budget(120.0, start=0.0, methods=3)
        self.assertEqual(b.method_deadline(0.0), 40.0)
        self.assertEqual(b.method_deadline(30.0), 75.0)  # the first left 10 s: the second gets (120 - 30) / 2
        self.assertEqual(b.method_deadline(130.0), 130.0)  # over budget: nothing left, still one prompt
        self.assertTrue(hf_peers.Budget.another_fits(10.0, 11.0, []))
        self.assertTrue(hf_peers.Budget.another_fits(10.0, 12.0, [1.0, 3.0]))
        self.assertFalse(hf_peers.Budget.another_fits(10.0, 11.5, [1.0, 3.0]))

    def test_bad_command_lines_fail_with_one_line(self):
        for argv, message in ((["--methods", "hf-beam"], "unknown method 'hf-beam'"),
                              (["--methods", "hf-assisted"], "hf-assisted needs --draft DIR"),
                              (["--methods", "hf-generate", "--budget-seconds", "0"], "--budget-seconds must be positive"),
                              (["--methods", "hf-generate", "--limit", "-1"], "--limit must be >= 0")):
            with self.assertRaisesRegex(BadInput, message):
                hf_peers.parse_args(["--results", "r", "--model", "m", "--out", "o"] + argv)

    def test_report_compares_with_ours_on_the_peers_prompts_and_states_the_targets(self):
        ours = [record("t/0", "baseline", [1] * 100, seconds=0.1), record("t/1", "baseline", [2] * 100, seconds=0.3),
                record("t/0", "staged", [1] * 100, seconds=0.05), record("t/1", "staged", [2] * 100, seconds=0.05)]
        peers = [record("t/0", "hf-generate", [1] * 100, seconds=2.0, peer={}),  # same tokens as our baseline
                 record("t/0", "hf-assisted", [3] * 100, seconds=0.5, peer={}),
                 record("t/1", "hf-assisted", [2] * 100, seconds=0.5, peer={})]
        text = hf_peers.report(ours, peers, "Test GPU", "fp16", "greedy", 100, "ours.jsonl")
        lines = text.splitlines()
        generate = next(l for l in lines if l.startswith("hf-generate"))
        self.assertEqual(generate.split(), ["hf-generate", "1", "50.0", "20.00x", "-", "40.00x", "1/1"])
        assisted = next(l for l in lines if l.startswith("hf-assisted"))
        self.assertEqual(assisted.split(), ["hf-assisted", "2", "200.0", "2.50x", "-", "10.00x", "1/2"])
        self.assertIn("  baseline / hf-generate: 20.00x (target >= 8x, goal 20x): met", lines)
        self.assertIn("  baseline / hf-static-compiled: - (target >= 2x, goal 3x): not run", lines)
        self.assertIn("  staged / hf-assisted: 10.00x (target >= 5x): met", lines)
        slow = hf_peers.report(ours, [record("t/0", "hf-generate", [1] * 100, seconds=0.5, peer={})], "Test GPU", "fp16",
                               "greedy", 100, "ours.jsonl")
        self.assertIn("  baseline / hf-generate: 5.00x (target >= 8x, goal 20x): MISSED", slow.splitlines())


class ReportSchemaTest(unittest.TestCase):
    FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "paper-tables", "src", "test", "resources",
                           "ssd", "tables", "exactness-report.json")

    def test_teacher_force_writes_the_fields_the_java_reader_is_tested_with(self):
        import argparse
        import teacher_force
        greedy, topk = exactness.Tally(exactness.GREEDY_CLASSES), exactness.Tally(exactness.TOPK_CLASSES, peer=True)
        greedy.runs = topk.runs = 1
        greedy.add("tie", {"gap": 0.01}, 0.06)
        topk.add("outside", {"margin": -1.0}, 1e-4)
        report = teacher_force.build_report(argparse.Namespace(model="m", epsilon=None),
                                            {("f", "baseline", "greedy", "fp16"): greedy,
                                             ("f", "hf-generate", "top-k (k=50, T=1)", "fp32"): topk}, "cpu", "5.17.0", "2.13.0")
        with open(self.FIXTURE, encoding="utf-8") as f:
            fixture = json.load(f)
        self.assertEqual(set(report), set(fixture))
        self.assertEqual(set(report["greedy"][0]), set(fixture["greedy"][0]))
        self.assertEqual(set(report["top_k"][0]), set(fixture["top_k"][0]))
        self.assertEqual(set(report["verdict"]), set(fixture["verdict"]))
        self.assertEqual((report["verdict"]["ties"], report["verdict"]["outside"], report["verdict"]["pass"]), (1, 1, False))
        self.assertIn("exactness (top-k): 1 tokens outside the reference top-k in 1 runs", teacher_force.render(report))


if __name__ == "__main__":
    unittest.main()
