"""cuBLASLt's candidate algorithms for the GPT-2-L tree-batch linears, each timed, next to what ATen runs.

FusedForward hands the 64-row linears to cuBLAS through ATen (CublasLinears), which takes cuBLAS's first heuristic
choice: for the MLP proj (K = 5120, N = 1280) that is a split-K kernel plus a separate reduction kernel. This asks
cuBLASLt directly (ctypes, as ATen would) for up to 16 algorithms per shape, with every reduction scheme allowed and
with only NONE / INPLACE (no extra kernel), and times each as a CUDA graph of 200 calls with the weights rotated over
copies larger than L2 (fused_kernels.graph_us / copies). Also times D = X W^T + b + R (beta = 1 on a residual C),
which would let the out-proj and proj GEMMs add the residual themselves. Prints one line per algorithm with its
configuration (tile, split-K, reduction scheme, stages, cluster shape as cuBLASLt reports them).
Run from the repository root on the GPU host: /opt/torch/.venv/bin/python3 tools/probes/gpu/cublaslt_algos.py [rows ...]
"""
import ctypes
import glob
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fused_kernels import copies, graph_us  # noqa: E402

DEV, HALF = 'cuda', torch.float16
vp, i32, u64, sz = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint64, ctypes.c_size_t
# cublasLt / library_types enum values (cuBLAS 13 headers, as in the JavaCPP cuda presets' global.cublas)
CUDA_R_16F, CUDA_R_32F, COMPUTE_32F, OP_N, OP_T = 2, 0, 68, 0, 1
DESC_TRANSA, DESC_TRANSB, DESC_EPILOGUE, DESC_BIAS_POINTER = 3, 4, 7, 8
EPILOGUE_BIAS, EPILOGUE_GELU_BIAS = 4, 36
PREF_MAX_WORKSPACE, PREF_REDUCTION_MASK = 1, 3
REDUCTION_NONE, REDUCTION_INPLACE, REDUCTION_ALL = 0, 1, 7
CONFIG = {'tile': 1, 'splitK': 2, 'reduction': 3, 'swizzle': 4, 'custom': 5, 'stages': 6, 'cluster': 8}
WORKSPACE = 32 << 20


class Algo(ctypes.Structure):
    _fields_ = [('data', u64 * 8)]


class Heuristic(ctypes.Structure):
    _fields_ = [('algo', Algo), ('workspaceSize', sz), ('state', i32), ('wavesCount', ctypes.c_float),
                ('reserved', i32 * 4)]


def load_cublaslt():
    torch.mm(torch.ones(8, 8, device=DEV, dtype=HALF), torch.ones(8, 8, device=DEV, dtype=HALF))  # torch loads it
    for name in ('libcublasLt.so.13', 'libcublasLt.so.12', 'libcublasLt.so'):
        try:
            return ctypes.CDLL(name)
        except OSError:
            pass
    import nvidia
    found = sorted(p for base in nvidia.__path__ for p in glob.glob(os.path.join(base, '**', 'libcublasLt.so*'), recursive=True))
    if not found:
        sys.exit('cublaslt_algos: libcublasLt not found')
    return ctypes.CDLL(found[0])


LT = load_cublaslt()


def call(name, *args):
    rc = getattr(LT, name)(*args)
    if rc != 0:
        raise RuntimeError(f'{name} failed: cublasStatus {rc}')


def set_attr(fn, obj, attr, value, ctype):
    v = ctype(value)
    call(fn, obj, i32(attr), ctypes.byref(v), sz(ctypes.sizeof(v)))


def layout(rows, cols, ld):
    h = vp()
    call('cublasLtMatrixLayoutCreate', ctypes.byref(h), i32(CUDA_R_16F), u64(rows), u64(cols), ctypes.c_int64(ld))
    return h


class Linear:
    """D[M, N] = X[M, K] W[N, K]^T + bias (+ C with beta = 1), epilogue bias or gelu+bias, in cuBLASLt's
    column-major terms D^T = W X^T: A = W (transposed), B = X."""

    def __init__(self, handle, M, K, N, gelu, residual):
        self.handle, self.M, self.K, self.N, self.residual = handle, M, K, N, residual
        self.Ws = copies(lambda: (torch.randn(N, K, device=DEV) * K ** -0.5).to(HALF), N * K * 2)
        self.X = torch.randn(M, K, device=DEV).to(HALF)
        self.bias = (torch.randn(N, device=DEV) * 0.1).to(HALF)
        self.C = torch.randn(M, N, device=DEV).to(HALF) if residual else None
        self.D = torch.empty(M, N, device=DEV, dtype=HALF)
        self.workspace = torch.empty(WORKSPACE, device=DEV, dtype=torch.uint8)
        self.desc = vp()
        call('cublasLtMatmulDescCreate', ctypes.byref(self.desc), i32(COMPUTE_32F), i32(CUDA_R_32F))
        set_attr('cublasLtMatmulDescSetAttribute', self.desc, DESC_TRANSA, OP_T, i32)
        set_attr('cublasLtMatmulDescSetAttribute', self.desc, DESC_TRANSB, OP_N, i32)
        set_attr('cublasLtMatmulDescSetAttribute', self.desc, DESC_EPILOGUE, EPILOGUE_GELU_BIAS if gelu else EPILOGUE_BIAS, i32)
        set_attr('cublasLtMatmulDescSetAttribute', self.desc, DESC_BIAS_POINTER, self.bias.data_ptr(), u64)
        self.a, self.b, self.d = layout(K, N, K), layout(K, M, K), layout(N, M, N)
        self.alpha, self.beta = ctypes.c_float(1.0), ctypes.c_float(1.0 if residual else 0.0)

    def candidates(self, reduction_mask, count=16):
        pref = vp()
        call('cublasLtMatmulPreferenceCreate', ctypes.byref(pref))
        set_attr('cublasLtMatmulPreferenceSetAttribute', pref, PREF_MAX_WORKSPACE, WORKSPACE, u64)
        set_attr('cublasLtMatmulPreferenceSetAttribute', pref, PREF_REDUCTION_MASK, reduction_mask, ctypes.c_uint32)
        results, returned = (Heuristic * count)(), i32()
        call('cublasLtMatmulAlgoGetHeuristic', self.handle, self.desc, self.a, self.b, self.d, self.d, pref, i32(count),
             results, ctypes.byref(returned))
        LT.cublasLtMatmulPreferenceDestroy(pref)
        return [results[i] for i in range(returned.value) if results[i].state == 0]

    def run(self, i, algo):
        c = self.C if self.residual else self.D
        call('cublasLtMatmul', self.handle, self.desc, ctypes.byref(self.alpha), vp(self.Ws[i % len(self.Ws)].data_ptr()),
             self.a, vp(self.X.data_ptr()), self.b, ctypes.byref(self.beta), vp(c.data_ptr()), self.d,
             vp(self.D.data_ptr()), self.d, ctypes.byref(algo), vp(self.workspace.data_ptr()), sz(WORKSPACE),
             vp(torch.cuda.current_stream().cuda_stream))


def config(algo):
    out = []
    for name, attr in CONFIG.items():
        buf, written = ctypes.c_uint64(0), sz()
        rc = LT.cublasLtMatmulAlgoConfigGetAttribute(ctypes.byref(algo), i32(attr), ctypes.byref(buf), sz(8), ctypes.byref(written))
        out.append(f'{name}={buf.value}' if rc == 0 else f'{name}=?')
    return ' '.join(out)


def aten_us(lin, gelu):
    if gelu:
        return graph_us(lambda i: lin.bias._addmm_activation(lin.X, lin.Ws[i % len(lin.Ws)].t(), use_gelu=True))
    out = lin.D
    return graph_us(lambda i: torch.addmm(lin.bias, lin.X, lin.Ws[i % len(lin.Ws)].t(), out=out))


def main():
    rows_list = [int(a) for a in sys.argv[1:]] or [64]
    print(torch.cuda.get_device_name(), 'torch', torch.__version__, 'cublasLt', LT.cublasLtGetVersion())
    handle = vp()
    call('cublasLtCreate', ctypes.byref(handle))
    shapes = [('qkv', 1280, 3840, False, False), ('out-proj', 1280, 1280, False, True),
              ('fc', 1280, 5120, True, False), ('proj', 5120, 1280, False, True)]
    for M in rows_list:
        for name, K, N, gelu, residual_shape in shapes:
            lin = Linear(handle, M, K, N, gelu, residual=False)
            print(f'-- rows={M} {name} K={K} N={N}: ATen {aten_us(lin, gelu):.1f} us')
            seen = set()
            for label, mask in (('any reduction', REDUCTION_ALL), ('none/inplace', REDUCTION_NONE | REDUCTION_INPLACE)):
                for rank, h in enumerate(lin.candidates(mask)):
                    key = bytes(h.algo)
                    if key in seen:
                        continue
                    seen.add(key)
                    us = graph_us(lambda i: lin.run(i, h.algo))
                    lin.run(0, h.algo)
                    ref = torch.addmm(lin.bias, lin.X, lin.Ws[0].t())
                    if gelu:
                        ref = torch.nn.functional.gelu(ref, approximate='tanh')
                    err = (lin.D.float() - ref.float()).abs().max().item()
                    print(f'   {label:13s} #{rank:<2d} {us:6.1f} us  ws {h.workspaceSize >> 10:6d} KiB  waves {h.wavesCount:5.2f}  '
                          f'{config(h.algo)}  max|diff| vs ATen {err:.2e}')
            if residual_shape:
                res = Linear(handle, M, K, N, gelu, residual=True)
                best = min(((graph_us(lambda i: res.run(i, h.algo)), r) for r, h in enumerate(res.candidates(REDUCTION_ALL)[:4])))
                print(f'   with beta=1 residual C: best of the first 4 {best[0]:.1f} us (#{best[1]})')
                del res
            del lin
    LT.cublasLtDestroy(handle)


if __name__ == '__main__':
    main()
