"""Checks and times the fused GPT-2 kernels (decoder/src/main/resources/ssd/decoder/model/gpt2_fused.cu) without the
Java side, so they can be verified and timed on their own.

Compiles the source with NVRTC and launches it with the CUDA driver API (both through ctypes, as FusedKernels.java
does), checks every entry point (embed, layer_norm, linear_<epilogue>_<NT>x<RT>, attention_64/32) against a PyTorch fp16 reference on
seeded random data, then times the GPT-2-L shapes as CUDA-graph replays of 200 launches (weights rotated over copies
that exceed L2, as in a forward) next to the ATen ops they replace, and a 1 GiB device-to-device copy for the card's
streaming bandwidth. Prints PASS/FAIL per check and exits 1 if any fails. Run on the GPU host from the repository root
(an optional argument checks and times a modified copy of the kernel source instead):

    /opt/torch/.venv/bin/python3 tools/probes/gpu/fused_kernels.py [path/to/gpt2_fused.cu]
"""
import ctypes, ctypes.util, glob, math, os, sys
import torch
import torch.nn.functional as F

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..',
                      'decoder', 'src', 'main', 'resources', 'ssd', 'decoder', 'model', 'gpt2_fused.cu')
DEV, HALF = 'cuda', torch.float16
EPS, TOL = 1e-5, 2e-2
ROTATE_BYTES = 256 << 20  # timed weights cycle through copies of at least this size, so L2 cannot hold them
RESULTS = []
vp = ctypes.c_void_p


def bind(lib, name, argtypes, describe):
    """lib.name as a call that raises, naming the call, when it returns anything but success (0)."""
    fn = getattr(lib, name)
    fn.argtypes, fn.restype = argtypes, ctypes.c_int
    def call(*args):
        rc = fn(*args)
        if rc != 0:
            raise RuntimeError(f'{name} failed: {rc} ({describe(rc)})')
    return call


def load_nvrtc():
    """libnvrtc from PyTorch's nvidia wheels (cu13 preferred), else wherever the loader finds it."""
    found = []
    try:
        import nvidia
        for base in nvidia.__path__:
            found += glob.glob(os.path.join(base, '**', 'libnvrtc.so*'), recursive=True)
    except ImportError:
        pass
    found.sort(key=lambda p: ('cu13' not in p, '.so.13' not in p, p))
    path = found[0] if found else ctypes.util.find_library('nvrtc')
    if not path:
        sys.exit('fused_kernels: libnvrtc not found (no nvidia/**/libnvrtc.so* in site-packages, nothing on the loader path)')
    for builtins in glob.glob(os.path.join(os.path.dirname(path), 'libnvrtc-builtins.so*')):
        try:  # NVRTC dlopens its builtins by soname: load them from the same directory first
            ctypes.CDLL(builtins, mode=ctypes.RTLD_GLOBAL)
            break
        except OSError:
            pass
    print(f'nvrtc: {path}')
    return ctypes.CDLL(path)


def compile_cubin(source, arch):
    lib = load_nvrtc()
    lib.nvrtcGetErrorString.argtypes, lib.nvrtcGetErrorString.restype = [ctypes.c_int], ctypes.c_char_p
    err = lambda rc: lib.nvrtcGetErrorString(rc).decode()
    size_p, buf_p = ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_char)
    create = bind(lib, 'nvrtcCreateProgram', [ctypes.POINTER(vp), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, vp, vp], err)
    log_size = bind(lib, 'nvrtcGetProgramLogSize', [vp, size_p], err)
    get_log = bind(lib, 'nvrtcGetProgramLog', [vp, buf_p], err)
    cubin_size = bind(lib, 'nvrtcGetCUBINSize', [vp, size_p], err)
    get_cubin = bind(lib, 'nvrtcGetCUBIN', [vp, buf_p], err)
    destroy = bind(lib, 'nvrtcDestroyProgram', [ctypes.POINTER(vp)], err)
    compile_ = lib.nvrtcCompileProgram
    compile_.argtypes, compile_.restype = [vp, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)], ctypes.c_int

    prog = vp()
    create(ctypes.byref(prog), source.encode(), b'gpt2_fused.cu', 0, None, None)
    options = (ctypes.c_char_p * 2)(f'--gpu-architecture={arch}'.encode(), b'--std=c++17')
    rc = compile_(prog, 2, options)
    n = ctypes.c_size_t()
    log_size(prog, ctypes.byref(n))
    log = ctypes.create_string_buffer(max(n.value, 1))
    get_log(prog, log)
    text = log.value.decode(errors='replace').strip()
    if rc != 0:
        print(f'nvrtcCompileProgram failed: {err(rc)} ({arch})\n{text}')
        sys.exit(1)
    if text:
        print(f'nvrtc log:\n{text}')
    cubin_size(prog, ctypes.byref(n))
    cubin = ctypes.create_string_buffer(n.value)
    get_cubin(prog, cubin)
    destroy(ctypes.byref(prog))
    return cubin.raw


class Kernels:
    """The compiled module, loaded into torch's primary context; launch() takes tensors, None, ints and floats."""

    def __init__(self, cubin):
        lib = ctypes.CDLL('libcuda.so.1')
        lib.cuGetErrorName.argtypes, lib.cuGetErrorName.restype = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)], ctypes.c_int
        def describe(rc):
            s = ctypes.c_char_p()
            return s.value.decode() if lib.cuGetErrorName(rc, ctypes.byref(s)) == 0 and s.value else 'unknown'
        ctx, dev = vp(), ctypes.c_int()
        bind(lib, 'cuCtxGetCurrent', [ctypes.POINTER(vp)], describe)(ctypes.byref(ctx))
        if not ctx.value:
            bind(lib, 'cuDeviceGet', [ctypes.POINTER(ctypes.c_int), ctypes.c_int], describe)(ctypes.byref(dev), torch.cuda.current_device())
            bind(lib, 'cuDevicePrimaryCtxRetain', [ctypes.POINTER(vp), ctypes.c_int], describe)(ctypes.byref(ctx), dev)
            bind(lib, 'cuCtxSetCurrent', [vp], describe)(ctx)
        self.module = vp()
        bind(lib, 'cuModuleLoadData', [ctypes.POINTER(vp), ctypes.c_char_p], describe)(ctypes.byref(self.module), cubin)
        self.get_function = bind(lib, 'cuModuleGetFunction', [ctypes.POINTER(vp), vp, ctypes.c_char_p], describe)
        self.launch_kernel = bind(lib, 'cuLaunchKernel', [vp] + [ctypes.c_uint] * 7 + [vp, ctypes.POINTER(vp), ctypes.POINTER(vp)], describe)
        self.launch_kernel_ex = bind(lib, 'cuLaunchKernelEx', [ctypes.POINTER(LaunchConfig), vp, ctypes.POINTER(vp), ctypes.POINTER(vp)], describe)
        self.set_attribute = bind(lib, 'cuFuncSetAttribute', [vp, ctypes.c_int, ctypes.c_int], describe)
        self.functions, self.shared_limits = {}, {}

    def function(self, name):
        if name not in self.functions:
            f = vp()
            self.get_function(ctypes.byref(f), self.module, name.encode())
            self.functions[name] = f
        return self.functions[name]

    def launch(self, name, grid, block, args, shared=0, cluster_y=1):
        """Launches name; cluster_y > 1 groups the blocks of each grid column into clusters of that many."""
        values = [vp(0) if a is None else vp(a.data_ptr()) if isinstance(a, torch.Tensor)
                  else ctypes.c_float(a) if isinstance(a, float) else ctypes.c_int(a) for a in args]
        params = (vp * len(values))(*[ctypes.addressof(v) for v in values])
        stream = vp(torch.cuda.current_stream().cuda_stream)
        f = self.function(name)
        if shared > self.shared_limits.get(name, 0):  # CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES (48 KiB - static by default)
            self.set_attribute(f, 8, shared)
            self.shared_limits[name] = shared
        if cluster_y == 1:
            self.launch_kernel(f, grid[0], grid[1], 1, block, 1, 1, shared, stream, params, None)
            return
        attribute = LaunchAttribute(id=4)  # CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION
        attribute.value[:3] = (1, cluster_y, 1)
        config = LaunchConfig(grid[0], grid[1], 1, block, 1, 1, shared, stream, ctypes.cast(ctypes.pointer(attribute), vp), 1)
        self.launch_kernel_ex(ctypes.byref(config), f, params, None)

    def linear(self, epi, nt, rt, X, W, bias, lnw, lnb, rows, N, K, out, slots=None, kv=None, slot_count=0, head_dim=0):
        self.launch(f'linear_{epi}_{nt}x{rt}', ((N + 16 * rt - 1) // (16 * rt), 1), 256,
                    [X, W, bias, lnw, lnb, EPS, rows, N, K, out, slots, kv, slot_count, head_dim],
                    shared=rows * K * 2 if nt == 1 else 0)  # one row tile stages its rows in shared memory

    def linear_rows(self, epi, nt, X, W, bias, rows, N, K, out, slots=None, kv=None, slot_count=0, head_dim=0, splits=None):
        """linear_rows_<epi>_<nt>: 64 features per block, K split over a cluster of `splits` blocks (default: as
        FusedForward chooses)."""
        splits = splits or row_splits(nt, N, K)
        self.launch(f'linear_rows_{epi}_{nt}', ((N + 63) // 64, splits), 256,
                    [X, W, bias, rows, N, K, out, slots, kv, slot_count, head_dim], shared=rows_shared_bytes(nt, K, splits),
                    cluster_y=splits)

    def layer_norm(self, X, w, b, rows, K, out, parts=None, part_bias=None):
        """out = layer_norm(X), a block per row; with float32 split-K partials [S, rows, K] and their bias,
        X += fp16(part_bias + sum of the partials) first (written back), as FusedForward's cuBLAS tree path."""
        count, stride = (0, 0) if parts is None else (parts.shape[0], parts.shape[1] * parts.shape[2])
        self.launch('layer_norm', (rows, 1), (K // 8 + 31) // 32 * 32, [X, parts, count, stride, part_bias, w, b, EPS, K, out])

    def attention(self, hd, q, kv, mask, limits, out, heads, slot_count, slots=None):
        """attention_<hd> (a block per row) up to 8 rows, attention_rows_<hd> (16 rows per block) above, as FusedForward.
        With slots, q is a qkv linear's output [rows, 3d] whose K/V attention_rows first copies into those cache slots."""
        if q.shape[0] > 8:
            self.launch(f'attention_rows_{hd}', (heads, q.shape[0] // 16), 256,
                        [q, slots, kv, mask, limits, out, heads, slot_count, 1 / math.sqrt(hd)])
            return
        self.launch(f'attention_{hd}', (heads, q.shape[0]), 256, [q, kv, mask, limits, out, heads, slot_count, 1 / math.sqrt(hd)])


class LaunchConfig(ctypes.Structure):  # CUlaunchConfig
    _fields_ = [('gridDimX', ctypes.c_uint), ('gridDimY', ctypes.c_uint), ('gridDimZ', ctypes.c_uint),
                ('blockDimX', ctypes.c_uint), ('blockDimY', ctypes.c_uint), ('blockDimZ', ctypes.c_uint),
                ('sharedMemBytes', ctypes.c_uint), ('hStream', vp), ('attrs', vp), ('numAttrs', ctypes.c_uint)]


class LaunchAttribute(ctypes.Structure):  # CUlaunchAttribute: an id, padding, a 64-byte value union
    _fields_ = [('id', ctypes.c_int), ('pad', ctypes.c_char * 4), ('value', ctypes.c_uint * 16)]


def row_splits(nt, N, K):
    """FusedForward.rowSplits: blocks of a cluster splitting K, the fewest that put each warp's whole share of weights
    in flight at once (U steps for each of 2 k groups), at most 8 (the portable cluster size), as many as keep every
    block of the 64-feature tiles in one wave of two per multiprocessor, at most one per 32-wide k step."""
    steps, per_block = K // 32, 2 * (5 if nt == 8 else 6)
    splits = min(8, -(-steps // per_block))
    tiles, wave = (N + 63) // 64, 2 * torch.cuda.get_device_properties(0).multi_processor_count
    return max(1, min(splits, max(1, wave // tiles), steps))


def uses_rows(N):
    """FusedForward.ClusterLinears.NARROW: tree batches take the cluster linear when the single-tile kernel's
    16-feature tiles are fewer than the multiprocessors."""
    return (N + 15) // 16 < torch.cuda.get_device_properties(0).multi_processor_count


def rows_shared_bytes(nt, K, splits):
    """FusedForward.rowsSharedBytes: linear_rows' dynamic shared memory (its input-row slice, or the partial sums
    after the main loop, then the inbox of the cluster's partial sums)."""
    rows, most = 8 * nt, -(-(K // 32) // splits)
    stride = 32 * (most + most % 2) + 32
    front = -(-max(rows * stride * 2, 2 * 64 * (rows + 1) * 4) // 16) * 16
    return front + inbox_bytes(rows, splits)


def inbox_bytes(rows, splits):
    """cluster_reduce_store's inbox: splits x share floats of a 64-feature tile's rows x 64 sums, share = that
    count / splits rounded up, then up to a multiple of 4."""
    share = -(-(-(-64 * rows // splits)) // 4) * 4
    return splits * share * 4


def rows_fit(nt, K, splits):
    """Whether linear_rows' shared memory for this split fits a block of the device."""
    return rows_shared_bytes(nt, K, splits) <= torch.cuda.get_device_properties(0).shared_memory_per_block_optin


def rnd(*shape, scale=1.0):
    return (torch.randn(*shape, device=DEV) * scale).to(HALF)


def check(name, got, ref, part=lambda t: t, tol=TOL):
    """Max abs difference over the whole output; the share of differing elements over the part the kernel writes."""
    g, r = got.float(), ref.float()
    diff = (g - r).abs().max().item()
    ok = diff <= tol  # False for NaN
    RESULTS.append(ok)
    differing = (part(g) != part(r)).float().mean().item()
    print(f'{"PASS" if ok else "FAIL"}  {name:<58} max|diff| {diff:.3e}  differing {differing:7.3%}')


def nt_for(rows):
    return min(nt for nt in (1, 2, 4, 8) if 8 * nt >= rows)


def test_embed(k):
    V, P, d = 1000, 1024, 1280
    wte, wpe = rnd(V, d), rnd(P, d)
    for rows in (1, 13, 64):
        ids, pos = torch.randint(0, V, (rows,), device=DEV), torch.randint(0, P, (rows,), device=DEV)
        x = rnd(rows, d)
        k.launch('embed', (rows, 1), 128, [ids, pos, wte, wpe, x, d])
        check(f'embed rows={rows} d={d}', x, wte[ids] + wpe[pos])


def gelu_ref(xn, W, b):
    try:  # the ATen path's fused GELU epilogue (fp32 bias + GELU before rounding)
        return torch._addmm_activation(b, xn, W.t(), use_gelu=True)
    except (AttributeError, RuntimeError):
        return F.gelu(F.linear(xn, W, b), approximate='tanh')


def feature_tiles(nt, N):
    """FusedForward.featureTiles: the fewest 16-feature tiles per block that fit every block in one wave of 2 per
    multiprocessor, else the most (2 for one token tile, 4 for more)."""
    most = 2 if nt == 1 else 4
    wave = 2 * torch.cuda.get_device_properties(0).multi_processor_count
    return next((ft for ft in (1, 2) if ft < most and (N + 16 * ft - 1) // (16 * ft) <= wave), most)


def test_layer_norm(k):
    for rows, K in ((1, 1280), (13, 768), (64, 1280), (64, 256), (16, 4096), (3, 8192)):
        for splits in (0, 1, 4, 6):
            X, w, b = rnd(rows, K), 1 + rnd(K, scale=0.1), rnd(K, scale=0.1)
            out = rnd(rows + 3, K)
            parts = part_bias = None
            x_ref = X.clone()
            if splits:  # a split-K linear's float32 partials: the sum plus bias rounded to fp16 once, then added
                parts, part_bias = torch.randn(splits, rows, K, device=DEV) * 0.3, rnd(K, scale=0.1)
                x_ref = X + (parts.sum(0) + part_bias.float()).half()
            ref = out.clone()
            ref[:rows] = F.layer_norm(x_ref, (K,), w, b, EPS)
            k.layer_norm(X, w, b, rows, K, out, parts, part_bias)
            torch.cuda.synchronize()
            label = f'layer_norm rows={rows} K={K}' + (f' + {splits} partials' if splits else '')
            check(label, out, ref)
            if splits:
                check(label + ' (sum written back)', X, x_ref)


class LinearCase:
    """Seeded inputs of one linear launch and the PyTorch reference of what it must leave in out (and kv). Outputs
    start random, so rows and slots the kernel must not write are checked too. ln: the kernel normalizes its rows
    itself (given the layer norm's parameters); otherwise X holds rows already normalized (as a layer_norm kernel
    leaves them), or raw rows for the residual linears."""

    def __init__(self, epi, K, N, rows, R, head_dim=0, slot_count=1152, ln=False):
        self.rows = rows
        self.X = torch.zeros(R, K, device=DEV, dtype=HALF)
        self.X[:rows] = rnd(rows, K) if ln or epi == 'residual' else F.layer_norm(rnd(rows, K), (K,), eps=EPS)
        self.W, self.bias = rnd(N, K, scale=K ** -0.5), (None if epi == 'logits' else rnd(N, scale=0.1))
        self.lnw, self.lnb = (1 + rnd(K, scale=0.1), rnd(K, scale=0.1)) if ln else (None, None)
        xn = F.layer_norm(self.X[:rows], (K,), self.lnw, self.lnb, EPS) if ln else self.X[:rows]
        self.slots = self.kv = self.kv_ref = None
        self.slot_count, self.head_dim = 0, head_dim
        if epi == 'logits':
            self.out = torch.randn(R, N, device=DEV)
            self.ref = self.out.clone()
            self.ref[:rows] = F.linear(xn, self.W).float()
        elif epi == 'gelu':
            self.out = rnd(R, N)
            self.ref = self.out.clone()
            self.ref[:rows] = gelu_ref(xn, self.W, self.bias)
        elif epi == 'residual':
            self.out = rnd(R, N)
            self.ref = self.out.clone()
            self.ref[:rows] = self.out[:rows] + F.linear(xn, self.W, self.bias)
        else:
            d = N // 3
            heads = d // head_dim
            self.out, self.kv, self.slot_count = rnd(R, d), rnd(2, heads, slot_count, head_dim), slot_count
            self.slots = torch.randperm(slot_count, device=DEV)[:R].contiguous()
            qkv = F.linear(xn, self.W, self.bias)
            self.ref, self.kv_ref = self.out.clone(), self.kv.clone()
            self.ref[:rows] = qkv[:, :d]
            self.kv_ref[0][:, self.slots[:rows]] = qkv[:, d:2 * d].reshape(rows, heads, head_dim).transpose(0, 1)
            self.kv_ref[1][:, self.slots[:rows]] = qkv[:, 2 * d:].reshape(rows, heads, head_dim).transpose(0, 1)

    def cache_args(self):
        """The (slots, kv, slotCount, headDim) arguments of the launch."""
        return self.slots, self.kv, self.slot_count, self.head_dim

    def check(self, name):
        torch.cuda.synchronize()
        rows = self.rows
        check(name + (' q' if self.kv is not None else ''), self.out, self.ref, lambda t: t[:rows])
        if self.kv is not None:
            check(name + ' kv', self.kv, self.kv_ref, lambda t: t[:, :, self.slots[:rows]])


def test_linear(k, epi, K, N, rows, nt, head_dim=0, rt=1, splits=None):
    """One launch of linear_<epi>_<nt>x<rt> (or, given splits, linear_rows_<epi>_<nt>). One row tile normalizes its
    rows itself; more take rows a layer_norm kernel normalized, as in FusedForward."""
    c = LinearCase(epi, K, N, rows, 8 * nt, head_dim, ln=epi != 'residual' and nt == 1 and splits is None)
    if splits is None:
        k.linear(epi, nt, rt, c.X, c.W, c.bias, c.lnw, c.lnb, rows, N, K, c.out, *c.cache_args())
        c.check(f'linear_{epi}_{nt}x{rt} K={K} N={N} rows={rows}')
    else:
        k.linear_rows(epi, nt, c.X, c.W, c.bias, rows, N, K, c.out, *c.cache_args(), splits)
        c.check(f'linear_rows_{epi}_{nt} splits={splits} K={K} N={N} rows={rows}')


def test_linears(k):
    cases = [(r, nt_for(r)) for r in (1, 3, 8, 13, 64)] + [(1, 8)]
    shapes = [('gelu', 1280, 5120, 0), ('gelu', 768, 3072, 0), ('residual', 1280, 1280, 0), ('residual', 5120, 1280, 0),
              ('residual', 3072, 768, 0), ('qkv', 1280, 3840, 64), ('qkv', 256, 768, 32), ('logits', 1280, 50257, 0),
              ('logits', 768, 50257, 0)]
    for epi, K, N, hd in shapes:
        for rows, nt in cases:
            for rt in (1, 2, 4):
                test_linear(k, epi, K, N, rows, nt, hd, rt=rt)
            if nt > 1 and epi != 'logits':  # the cluster linear (none for the LM head): the chosen split, uneven ones, the most
                for splits in sorted({1, row_splits(nt, N, K), 3, 7, 8}):
                    if rows_fit(nt, K, splits):
                        test_linear(k, epi, K, N, rows, nt, hd, splits=splits)


def tree_mask(rows, prefix, slot_count):
    """Row i sees [0, prefix), a random subset of prefix .. prefix+i-1, and always its own slot prefix+i."""
    mask = torch.zeros(rows, slot_count, dtype=torch.uint8)
    mask[:, :prefix] = 1
    for i in range(rows):
        mask[i, prefix:prefix + i] = (torch.rand(i) < 0.5).to(torch.uint8)
        mask[i, prefix + i] = 1
    return mask.to(DEV)


def attention_ref(q, kv, mask, real, key_limit, hd):
    rows, d = q.shape
    heads = d // hd
    qf = q.float().view(rows, heads, hd).transpose(0, 1)
    keys, values = kv[0, :, :key_limit].float(), kv[1, :, :key_limit].float()
    scores = (qf @ keys.transpose(1, 2)) * (1 / math.sqrt(hd))
    scores = scores.masked_fill(mask[:, :key_limit].bool().logical_not(), float('-inf'))
    out = (torch.softmax(scores, -1) @ values).transpose(0, 1).reshape(rows, d).to(HALF)
    out[real:] = 0  # padding rows (fully masked rows would be NaN here)
    return out


def test_attention(k, slot_count=1152):
    for hd, heads in ((64, 20), (32, 8)):
        cases = [(f'1 row, keys [0,{L}) (mask open past the limit)', 1, 1, L, torch.ones(1, slot_count, dtype=torch.uint8, device=DEV))
                 for L in (1, 37, 600)]
        P = int(torch.randint(1, slot_count - 64, ()).item())
        cases.append((f'64 tree rows, prefix {P}', 64, 64, P + 64, tree_mask(64, P, slot_count)))
        cases.append(('5 real of 8 rows, prefix 100', 8, 5, 108, tree_mask(8, 100, slot_count)))
        cases.append(('13 real of 16 rows, prefix 3', 16, 13, 19, tree_mask(16, 3, slot_count)))
        cases.append(('32 tree rows, no prefix', 32, 32, 32, tree_mask(32, 0, slot_count)))
        cases.append(('64 tree rows, prefix 128', 64, 64, 192, tree_mask(64, 128, slot_count)))
        for label, rows, real, key_limit, mask in cases:
            q, kv, out = rnd(rows, heads * hd), rnd(2, heads, slot_count, hd), rnd(rows, heads * hd)
            limits = torch.tensor([real, key_limit], device=DEV, dtype=torch.int64)
            ref = attention_ref(q, kv, mask, real, key_limit, hd)
            k.attention(hd, q, kv, mask, limits, out, heads, slot_count)
            torch.cuda.synchronize()
            kernel = f'attention_rows_{hd}' if rows > 8 else f'attention_{hd}'
            check(f'{kernel} heads={heads}: {label}', out, ref, lambda t: t[:real])


def test_attention_from_qkv(k, slot_count=1152):
    """attention_rows given the qkv rows (cuBLAS tree linears): the batch's keys and values read from those rows and
    copied into the batch's slots. Slots as StaticForward lays them out: real row r at limit - real + r, padding rows
    at distinct slots past every real one."""
    for hd, heads, rows, real, prefix in ((64, 20, 64, 64, 128), (64, 20, 64, 50, 77), (32, 8, 16, 16, 3), (32, 8, 16, 11, 40)):
        d = heads * hd
        qkv, kv, out = rnd(rows, 3 * d), rnd(2, heads, slot_count, hd), rnd(rows, d)
        slots = torch.cat([torch.arange(prefix, prefix + real), torch.arange(slot_count - rows + real, slot_count)]).to(DEV)
        mask = tree_mask(rows, prefix, slot_count)
        limits = torch.tensor([real, prefix + real], device=DEV, dtype=torch.int64)
        kv_ref = kv.clone()
        parts = qkv.view(rows, 3, heads, hd)
        kv_ref[0][:, slots] = parts[:, 1].transpose(0, 1)
        kv_ref[1][:, slots] = parts[:, 2].transpose(0, 1)
        ref = attention_ref(qkv[:, :d], kv_ref, mask, real, prefix + real, hd)
        k.attention(hd, qkv, kv, mask, limits, out, heads, slot_count, slots)
        torch.cuda.synchronize()
        label = f'attention_rows_{hd} from qkv, {real} real of {rows} rows, prefix {prefix}'
        check(f'{label}: K/V in the cache', kv, kv_ref)
        check(f'{label}: output', out, ref)


def test_widen_logits(k, d=1280):
    """widen_logits after cuBLAS's head over the aligned columns (FusedForward with cuBLAS linears): float32 logits
    equal to the fp16 linear's, the last vocab % 8 columns computed by the kernel."""
    for rows, vocab in ((64, 50257), (16, 1024)):
        x, wte = rnd(rows, d), rnd(vocab, d, scale=0.05)
        aligned = vocab // 8 * 8
        head = torch.mm(x, wte[:aligned].t())
        logits = torch.full((rows, vocab), float('nan'), device=DEV)
        k.launch('widen_logits', (rows, 8), 256, [head, aligned, x, wte, d, vocab, logits])
        torch.cuda.synchronize()
        check(f'widen_logits rows={rows} vocab={vocab}', logits, F.linear(x, wte).float())


def best_ms(fn, reps=5):
    """Best of reps event-timed calls of fn, in milliseconds."""
    best = float('inf')
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        best = min(best, start.elapsed_time(end))
    return best


def graph_us(fn, iters=200):
    """Microseconds per call of fn(i), i = 0..iters-1, captured into one CUDA graph (after a warm-up on a side stream)."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for i in range(3):
            fn(i)
    torch.cuda.current_stream().wait_stream(side)
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        for i in range(iters):
            fn(i)
    graph.replay()
    return best_ms(graph.replay) * 1000 / iters


def copies(make, nbytes):
    return [make() for _ in range(max(1, math.ceil(ROTATE_BYTES / nbytes)))]


def gpt2l_matrices(D=1280, V=50257):
    """(epilogue, K, N) of the linears of a GPT-2-L layer, and of its LM head."""
    return [('qkv', D, 3 * D), ('residual', D, D), ('gelu', D, 4 * D), ('residual', 4 * D, D), ('logits', D, V)]


class TimedLinear:
    """Operands for timing one linear on `rows` token rows: copies of a random weight that together exceed L2 (launch
    i takes W(i), so each streams from DRAM as in a forward), input rows, bias, output, and the cache arguments (qkv
    writes K/V into a cache of 1152 slots of 20 heads)."""

    def __init__(self, epi, K, N, rows, slot_count=1152):
        nt = nt_for(rows)
        self.nbytes = N * K * 2
        self.Ws = copies(lambda: rnd(N, K, scale=K ** -0.5), self.nbytes)
        self.X, self.bias = rnd(8 * nt, K), (None if epi == 'logits' else rnd(N, scale=0.1))
        width = N // 3 if epi == 'qkv' else N
        self.out = torch.zeros(8 * nt, width, device=DEV, dtype=torch.float32 if epi == 'logits' else HALF)
        slots, kv = torch.arange(8 * nt, device=DEV), torch.zeros(2, 20, slot_count, 64, device=DEV, dtype=HALF)
        self.args = (slots, kv, slot_count, 64) if epi == 'qkv' else (None, None, 0, 0)

    def W(self, i):
        return self.Ws[i % len(self.Ws)]


def time_linears(k, D=1280):
    for rows in (1, 16, 32, 64):
        nt = nt_for(rows)
        for epi, K, N in gpt2l_matrices():
            c = TimedLinear(epi, K, N, rows)
            nbytes, X, bias, out, args = c.nbytes, c.X, c.bias, c.out, c.args
            # More than one row tile: as FusedForward, rows a layer_norm kernel normalized, no layer norm in the linear.
            lnw, lnb = (rnd(K), rnd(K)) if epi != 'residual' and nt == 1 else (None, None)
            rt = feature_tiles(nt, N)
            fused = graph_us(lambda i: k.linear(epi, nt, rt, X, c.W(i), bias, lnw, lnb, rows, N, K, out, *args))
            aten = graph_us(lambda i: F.linear(X[:rows], c.W(i), bias))
            tree = ''
            if nt > 1 and epi != 'logits':
                splits = row_splits(nt, N, K)
                us = graph_us(lambda i: k.linear_rows(epi, nt, X, c.W(i), bias, rows, N, K, out, *args, splits))
                tree = f'   linear_rows x{splits} {us:7.1f} us {nbytes / us / 1e3:5.0f} GB/s{" (the forward uses this one)" if uses_rows(N) else ""}'
            print(f'linear_{epi}_{nt}x{rt:<4} K={K:<5} N={N:<6} rows={rows:<3} W {nbytes / 1e6:6.1f} MB   '
                  f'fused {fused:7.1f} us {nbytes / fused / 1e3:5.0f} GB/s   F.linear {aten:7.1f} us {nbytes / aten / 1e3:5.0f} GB/s{tree}')
            del c
        x, w, b, y = rnd(rows, D), rnd(D), rnd(D), rnd(rows, D)
        parts, part_bias = torch.zeros(4, rows, D, device=DEV), torch.zeros(D, device=DEV, dtype=HALF)  # x stays put
        print(f'F.layer_norm rows={rows:<3} d={D}: {graph_us(lambda i: F.layer_norm(x, (D,), w, b, EPS)):.1f} us   '
              f'fused layer_norm {graph_us(lambda i: k.layer_norm(x, w, b, rows, D, y)):.1f} us, '
              f'with 4 partials {graph_us(lambda i: k.layer_norm(x, w, b, rows, D, y, parts, part_bias)):.1f} us')


def time_attention(k, H=20, HD=64, SC=1152, key_limit=192):
    kv_bytes = 2 * H * SC * HD * 2
    kvs = copies(lambda: rnd(2, H, SC, HD), kv_bytes)
    read = 2 * H * key_limit * HD * 2
    for rows in (1, 64):
        mask = tree_mask(rows, key_limit - rows, SC)
        limits = torch.tensor([rows, key_limit], device=DEV, dtype=torch.int64)
        q, out = rnd(rows, H * HD), rnd(rows, H * HD)
        fused = graph_us(lambda i: k.attention(HD, q, kvs[i % len(kvs)], mask, limits, out, H, SC))
        q4, bmask = q.view(1, rows, H, HD).transpose(1, 2), mask.bool()
        sdpa = graph_us(lambda i: F.scaled_dot_product_attention(q4, kvs[i % len(kvs)][0].unsqueeze(0),
                                                                   kvs[i % len(kvs)][1].unsqueeze(0), attn_mask=bmask))
        print(f'attention_{HD} rows={rows:<3} keys<{key_limit}: fused {fused:6.1f} us ({read / fused / 1e3:4.0f} GB/s of K/V)   '
              f'SDPA bool mask over {SC} slots {sdpa:6.1f} us')
    rows = 64
    mask, limits = tree_mask(rows, key_limit - rows, SC), torch.tensor([rows, key_limit], device=DEV, dtype=torch.int64)
    qkv, out, slots = rnd(rows, 3 * H * HD), rnd(rows, H * HD), torch.arange(key_limit - rows, key_limit, device=DEV)
    us = graph_us(lambda i: k.attention(HD, qkv, kvs[i % len(kvs)], mask, limits, out, H, SC, slots))
    print(f'attention_rows_{HD} from qkv rows={rows} keys<{key_limit} (K/V copied into the cache first): {us:6.1f} us')
    vocab, aligned = 50257, 50256
    head, x, wte = rnd(rows, aligned), rnd(rows, 1280), rnd(vocab, 1280)
    logits = torch.empty(rows, vocab, device=DEV)
    us = graph_us(lambda i: k.launch('widen_logits', (rows, 8), 256, [head, aligned, x, wte, 1280, vocab, logits]))
    print(f'widen_logits rows={rows} vocab={vocab}: {us:6.1f} us ({rows * vocab * 6 / us / 1e3:4.0f} GB/s read + written)')
    wte, wpe = rnd(50257, 1280), rnd(1024, 1280)
    for rows in (1, 64):
        ids, pos, x = torch.randint(0, 50257, (rows,), device=DEV), torch.arange(rows, device=DEV), rnd(rows, 1280)
        print(f'embed rows={rows:<3}: fused {graph_us(lambda i: k.launch("embed", (rows, 1), 128, [ids, pos, wte, wpe, x, 1280])):.1f} us   '
              f'aten {graph_us(lambda i: wte[ids] + wpe[pos]):.1f} us')


def copy_bandwidth(nbytes=1 << 30):
    src, dst = torch.empty(nbytes, dtype=torch.uint8, device=DEV), torch.empty(nbytes, dtype=torch.uint8, device=DEV)
    dst.copy_(src)
    s = best_ms(lambda: dst.copy_(src)) / 1e3
    print(f'device copy of 1 GiB: {s * 1e3:.2f} ms, read {nbytes / s / 1e9:.0f} GB/s (read + write {2 * nbytes / s / 1e9:.0f} GB/s)')


def main():
    torch.manual_seed(0)
    torch.cuda.init()
    torch.zeros(1, device=DEV)  # the primary context now exists and is current
    major, minor = torch.cuda.get_device_capability()
    print(f'{torch.cuda.get_device_name()} sm_{major}{minor}, torch {torch.__version__}')
    with open(sys.argv[1] if len(sys.argv) > 1 else SOURCE) as f:
        k = Kernels(compile_cubin(f.read(), f'sm_{major}{minor}'))
    test_embed(k)
    test_layer_norm(k)
    test_linears(k)
    test_attention(k)
    test_attention_from_qkv(k)
    test_widen_logits(k)
    print('-- timings: CUDA graph of 200 launches per op, weights / K/V rotated over >= 256 MiB of copies')
    time_linears(k)
    time_attention(k)
    copy_bandwidth()
    failed = RESULTS.count(False)
    print(f'fused_kernels: {len(RESULTS)} checks, {failed} failed')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
