"""How teacher_force.py classifies a generated token against an independent forward's fp32 logits (plain Python).

Greedy: "argmax" (the token is the reference argmax), "tie" (it is not, but its logit is within the tolerance of the
argmax's), "mismatch" (further below). Top-k: "inside" (the token's logit is above the k-th largest by more than the
tolerance), "near_boundary" (within the tolerance of the k-th largest, either side), "outside" (below it by more).

The tolerance is the rounding a run's dtype explains, the rule of the decoder's GreedyDivergence: 1e-4 in fp32, and
4 units in the last place of the position's largest |logit| in fp16 (10 mantissa bits) or bf16 (7), e.g. 0.0625 for
a largest logit in [16, 32) in fp16. A fixed --epsilon replaces it.
"""
import math

F32_TIE = 1e-4
HALF_TIE_ULPS = 4
MANTISSA_BITS = {"fp16": 10, "bf16": 7}
FLT_MIN_NORMAL = 2.0 ** -126

GREEDY_CLASSES = ("argmax", "tie", "mismatch")
TOPK_CLASSES = ("inside", "near_boundary", "outside")


def tie_tolerance(dtype, largest_abs_logit):
    """The largest logit gap that rounding in `dtype` explains at a position whose largest |logit| is given."""
    if dtype == "fp32":
        return F32_TIE
    if dtype not in MANTISSA_BITS:
        raise ValueError(f"unknown dtype {dtype!r}: expected fp32, fp16 or bf16")
    # Java's Math.getExponent: floor(log2(x)) of a normal float
    exponent = math.frexp(max(abs(largest_abs_logit), FLT_MIN_NORMAL))[1] - 1
    return HALF_TIE_ULPS * math.ldexp(1.0, exponent - MANTISSA_BITS[dtype])


def classify_greedy(token, argmax_token, token_logit, max_logit, tolerance):
    """(class, gap): gap = max_logit - token_logit (0 for the argmax itself)."""
    if token == argmax_token:
        return "argmax", 0.0
    gap = max_logit - token_logit
    return ("tie" if gap <= tolerance else "mismatch"), gap


def classify_topk(token_logit, kth_logit, tolerance):
    """(class, margin): margin = token_logit - kth_logit (>= 0 inside the reference top-k set)."""
    margin = token_logit - kth_logit
    if margin > tolerance:
        return "inside", margin
    if margin >= -tolerance:
        return "near_boundary", margin
    return "outside", margin


class Tally:
    """Counts per class for one group of runs, the largest tie gap (or smallest top-k margin), and the first examples of
    the classes worth reading (mismatch and tie; outside and near_boundary)."""

    def __init__(self, classes, examples=10, peer=False):
        self.peer = peer
        self.counts = {c: 0 for c in classes}
        self.runs = 0
        self.examples = {c: [] for c in classes[1:]}
        self.limit = examples
        self.largest_tie_gap = 0.0
        self.tolerances = [math.inf, 0.0]

    def add(self, cls, detail, tolerance):
        self.counts[cls] += 1
        self.tolerances = [min(self.tolerances[0], tolerance), max(self.tolerances[1], tolerance)]
        if cls == "tie":
            self.largest_tie_gap = max(self.largest_tie_gap, detail["gap"])
        if cls in self.examples and len(self.examples[cls]) < self.limit:
            self.examples[cls].append(detail)

    def as_json(self):
        out = {"runs": self.runs, "tokens": sum(self.counts.values())}
        out.update(self.counts)
        if "tie" in self.counts:
            out["largest_tie_gap"] = self.largest_tie_gap
        if self.tolerances[1] > 0:
            out["tolerance_range"] = self.tolerances
        for cls, items in self.examples.items():
            out["first_" + cls] = items
        return out
