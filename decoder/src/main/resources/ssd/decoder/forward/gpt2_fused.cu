// Fused GPT-2 inference kernels for small token batches (1..64 rows), fp16 storage, fp32 accumulation.
// Compiled at run time with NVRTC (FusedKernels.java) and launched into the static forward / CUDA graph.
//
// Why: a decode step or a tree batch is bound by streaming the weights once, but the ATen/cuBLAS path spends
// about as long on each kernel's fixed cost as on streaming (one-row matmuls at 2.8x their floor, 4 us per layer
// norm, attention over the full static width). Here a layer is five kernels:
//   ln1+qkv (writes q, and K/V straight into the cache slots), attention over the valid keys only,
//   out-proj + residual, ln2+fc+GELU, proj + residual.
// The linear kernel streams each weight matrix once with tensor-core mma over all token rows. With more than 8
// rows, layer_norm kernels normalize the rows once for all blocks; from 32 rows cuBLAS's GEMMs beat these linears
// (FusedForward, CublasLinears), and the layer becomes ln1, qkv GEMM, attention_rows (which also places K/V),
// out-proj as K-split float32 partials, residual+ln2 (summing them), fc+GELU GEMM, proj as partials again, summed
// into the residual by the next layer norm.
//
// Header-free on purpose (no cuda_fp16.h / mma.h): NVRTC on the GPU hosts has no CUDA include directory.
// Rounding follows the ATen path: every op's output is rounded to fp16 where ATen's would be.

typedef unsigned short half_t;  // raw IEEE fp16 bits
struct __align__(16) U4 { unsigned x, y, z, w; };
struct __align__(16) F4 { float x, y, z, w; };

#define FULL_MASK 0xffffffffu
#define LINEAR_WARPS 8
#define ATTENTION_WARPS 8
#define ROW_ATTENTION_WARPS 8

__device__ __forceinline__ float h2f(half_t h) { float f; asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h)); return f; }
__device__ __forceinline__ half_t f2h(float f) { half_t h; asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f)); return h; }
__device__ __forceinline__ float lo(unsigned v) { return h2f((half_t)(v & 0xffffu)); }
__device__ __forceinline__ float hi(unsigned v) { return h2f((half_t)(v >> 16)); }
__device__ __forceinline__ unsigned pack(float a, float b) { return (unsigned)f2h(a) | ((unsigned)f2h(b) << 16); }
__device__ __forceinline__ float neg_inf() { return __int_as_float(0xff800000); }

// Weights are read exactly once per forward: bypass L1 so activations keep it. Not volatile, so the compiler may
// issue these loads as early as it likes (none of them aliases anything a kernel writes).
__device__ __forceinline__ U4 load_stream(const half_t* p) {
    U4 v;
    asm("ld.global.nc.L1::no_allocate.v4.u32 {%0,%1,%2,%3}, [%4];" : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
    return v;
}

// Activations were written by the previous kernel of the same graph: plain coherent loads.
__device__ __forceinline__ U4 load(const half_t* p) {
    return *(const U4*)p;
}

// Programmatic dependent launch (Hopper+): a kernel launched with the programmatic-serialization attribute may start
// before the previous kernel finishes. It may only read weights until wait_for_previous_kernel() returns (then the
// previous kernel, and transitively every earlier one, has finished and its writes are visible); a kernel calls
// allow_next_kernel() once its own weight streaming is done, so the next kernel's launch and first weight loads
// overlap this one's tail. No-ops before sm_90, where the host does not set the attribute.
__device__ __forceinline__ void wait_for_previous_kernel() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}

__device__ __forceinline__ void allow_next_kernel() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
#endif
}

// cp.async (sm_80+): 16 bytes global -> shared without passing through registers, completed in commit groups.
__device__ __forceinline__ unsigned shared_address(const void* p) {
    unsigned address;
    asm("{ .reg .u64 a; cvta.to.shared.u64 a, %1; cvt.u32.u64 %0, a; }" : "=r"(address) : "l"(p));
    return address;
}

__device__ __forceinline__ void copy_async16(void* shared, const void* global) {
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16;" ::"r"(shared_address(shared)), "l"(global) : "memory");
}

__device__ __forceinline__ void commit_copies() { asm volatile("cp.async.commit_group;" ::: "memory"); }

// Waits until at most PENDING of this thread's most recent copy groups are still in flight.
template <int PENDING>
__device__ __forceinline__ void wait_copies() { asm volatile("cp.async.wait_group %0;" ::"n"(PENDING) : "memory"); }

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
// Thread-block clusters (sm_90+): a launch without the cluster attribute is a cluster of one block, so these are
// valid in every launch there.
__device__ __forceinline__ int cluster_rank() {
    unsigned r;
    asm("mov.u32 %0, %%cluster_ctarank;" : "=r"(r));
    return (int)r;
}

__device__ __forceinline__ int cluster_size() {
    unsigned r;
    asm("mov.u32 %0, %%cluster_nctarank;" : "=r"(r));
    return (int)r;
}

// Every block of the cluster has arrived (and its shared-memory writes before are visible to the others).
__device__ __forceinline__ void cluster_sync() {
    asm volatile("barrier.cluster.arrive.release.aligned;\n\tbarrier.cluster.wait.acquire.aligned;" ::: "memory");
}

// Stores v[0..3] at p's offset in the shared memory of block `rank` of this cluster (distributed shared memory; p
// 16-byte aligned). Remote stores do not wait for a reply; cluster_sync() makes them visible.
__device__ __forceinline__ void store_cluster4(float* p, int rank, const float* v) {
    unsigned remote;
    asm("mapa.shared::cluster.u32 %0, %1, %2;" : "=r"(remote) : "r"(shared_address(p)), "r"(rank));
    asm volatile("st.shared::cluster.v4.f32 [%0], {%1, %2, %3, %4};" ::"r"(remote), "f"(v[0]), "f"(v[1]), "f"(v[2]), "f"(v[3])
                 : "memory");
}
#endif

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, o));
    return v;
}

// D(16x8, f32) += A(16x16, f16, row) * B(16x8, f16, col)
__device__ __forceinline__ void mma16816(float* c, unsigned a0, unsigned a1, unsigned a2, unsigned a3, unsigned b0, unsigned b1) {
    asm("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
}

__device__ __forceinline__ float gelu_tanh(float x) {
    return 0.5f * x * (1.0f + tanhf(0.7978845608028654f * (x + 0.044715f * x * x * x)));
}

// Layer norm of 8 consecutive elements (k .. k+7) of one row, rounded to fp16 as ATen's layer_norm output is.
__device__ __forceinline__ U4 normalize8(U4 x, float mean, float rstd, U4 g, U4 b) {
    U4 r;
    r.x = pack((lo(x.x) - mean) * rstd * lo(g.x) + lo(b.x), (hi(x.x) - mean) * rstd * hi(g.x) + hi(b.x));
    r.y = pack((lo(x.y) - mean) * rstd * lo(g.y) + lo(b.y), (hi(x.y) - mean) * rstd * hi(g.y) + hi(b.y));
    r.z = pack((lo(x.z) - mean) * rstd * lo(g.z) + lo(b.z), (hi(x.z) - mean) * rstd * hi(g.z) + hi(b.z));
    r.w = pack((lo(x.w) - mean) * rstd * lo(g.w) + lo(b.w), (hi(x.w) - mean) * rstd * hi(g.w) + hi(b.w));
    return r;
}

__device__ __forceinline__ float sum8(U4 v) {
    return lo(v.x) + hi(v.x) + lo(v.y) + hi(v.y) + lo(v.z) + hi(v.z) + lo(v.w) + hi(v.w);
}

__device__ __forceinline__ float sq8(U4 v, float mean) {
    float s = 0.f, d;
    d = lo(v.x) - mean; s += d * d; d = hi(v.x) - mean; s += d * d;
    d = lo(v.y) - mean; s += d * d; d = hi(v.y) - mean; s += d * d;
    d = lo(v.z) - mean; s += d * d; d = hi(v.z) - mean; s += d * d;
    d = lo(v.w) - mean; s += d * d; d = hi(v.w) - mean; s += d * d;
    return s;
}

enum Epilogue { EPI_GELU = 0, EPI_RESIDUAL = 1, EPI_QKV = 2, EPI_LOGITS = 3 };

// Index of element `dim` of the K (part 0) or V (part 1) row of head `head` in cache slot `slot`, in kv = [2, heads,
// slotCount, headDim] (one layer's part of the storage).
__device__ __forceinline__ size_t kv_index(int part, int heads, int head, int slotCount, long long slot, int headDim, int dim) {
    return (((size_t)part * heads + head) * slotCount + slot) * headDim + dim;
}

// Output element (m, n) of a linear from its fp32 dot product, rounded as the ATen path rounds it: logits are fp16
// widened to the float32 output; otherwise addmm's fp16 result (sum + bias) feeds GELU, the residual add
// (out = residual + y, residual being out's value before) or the q / K / V split: feature n < d goes to q [rows, d];
// the rest are K/V, written to the cache slot of row m in kv = [2, heads, slotCount, headDim] (this layer's part of
// the storage).
template <int EPI>
__device__ __forceinline__ void store_output(float sum, float bias, float residual, int m, int n, int N, void* out,
                                             const long long* __restrict__ slots, half_t* kv, int slotCount, int headDim) {
    if (EPI == EPI_LOGITS) {
        ((float*)out)[(size_t)m * N + n] = h2f(f2h(sum));
        return;
    }
    const float y = h2f(f2h(sum + bias));
    if (EPI == EPI_GELU) {
        ((half_t*)out)[(size_t)m * N + n] = f2h(gelu_tanh(sum + bias));
    } else if (EPI == EPI_RESIDUAL) {
        ((half_t*)out)[(size_t)m * N + n] = f2h(residual + y);
    } else {  // EPI_QKV
        const int d = N / 3, part = n / d, c = n - part * d;
        if (part == 0) {
            ((half_t*)out)[(size_t)m * d + c] = f2h(y);
        } else {
            const int heads = d / headDim, head = c / headDim, dim = c - head * headDim;
            kv[kv_index(part - 1, heads, head, slotCount, slots[m], headDim, dim)] = f2h(y);
        }
    }
}

// store_output for features n .. n+3 of row m (n a multiple of 4; the four share a head and a part of qkv, as d and
// the head size are multiples of 4): the integer divisions of the qkv split once, not per element.
template <int EPI>
__device__ __forceinline__ void store_output4(const float* sum, const half_t* __restrict__ bias, int m, int n, int N, void* out,
                                              const long long* __restrict__ slots, half_t* kv, int slotCount, int headDim) {
    if (EPI != EPI_QKV) {
#pragma unroll
        for (int e = 0; e < 4; e++) {
            if (n + e >= N) break;
            const float residual = EPI == EPI_RESIDUAL ? h2f(((const half_t*)out)[(size_t)m * N + n + e]) : 0.f;
            store_output<EPI>(sum[e], EPI == EPI_LOGITS ? 0.f : h2f(bias[n + e]), residual, m, n + e, N, out, slots, kv,
                              slotCount, headDim);
        }
        return;
    }
    const int d = N / 3, part = n / d, c = n - part * d;
    half_t* o;
    if (part == 0) {
        o = (half_t*)out + (size_t)m * d + c;
    } else {
        const int head = c / headDim, dim = c - head * headDim;
        o = kv + kv_index(part - 1, d / headDim, head, slotCount, slots[m], headDim, dim);
    }
#pragma unroll
    for (int e = 0; e < 4; e++) o[e] = f2h(h2f(f2h(sum[e] + h2f(bias[n + e]))));
}

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
// The end of a linear whose K is split over the blocks of a cluster: partial = [KG][F][R + 1] this block's sums for
// its K slice (KG groups of warps, added here), features n0 .. n0+F-1. Items are (row m, feature f) as m * F + f,
// four at a time; block r of the cluster finishes items [r * share, (r + 1) * share) and receives every block's sums
// of them in inbox[source][item - r * share] (stores into distributed shared memory do not wait for a reply). Sums
// run in a fixed order (groups, then cluster ranks), so the result does not depend on timing.
template <int F, int R, int KG, int EPI>
__device__ __forceinline__ void cluster_reduce_store(const float* partial, float* inbox, int share, int split, int splits, int rows,
                                                     int n0, int N, void* out, const half_t* __restrict__ bias,
                                                     const long long* __restrict__ slots, half_t* kv, int slotCount, int headDim) {
    for (int owner = 0; owner < splits; owner++) {
        const int base = owner * share, end = min(base + share, F * R);
        for (int item = base + 4 * threadIdx.x; item < end; item += 4 * blockDim.x) {
            const int m = item / F, f = item - m * F;
            float v[4];
#pragma unroll
            for (int e = 0; e < 4; e++) {
                v[e] = 0.f;
#pragma unroll
                for (int w = 0; w < KG; w++) v[e] += partial[(w * F + f + e) * (R + 1) + m];
            }
            store_cluster4(inbox + split * share + item - base, owner, v);
        }
    }
    cluster_sync();  // every block's sums are in their owners' inboxes, and no block reads another's memory after
    const int begin = split * share, end = min(begin + share, F * R);
    for (int item = begin + 4 * threadIdx.x; item < end; item += 4 * blockDim.x) {
        const int m = item / F, n = n0 + item - m * F;
        if (m >= rows) break;  // items grow with m
        float sum[4] = {0.f, 0.f, 0.f, 0.f};
        for (int r = 0; r < splits; r++) {
            const F4 v = *(const F4*)(inbox + r * share + item - begin);
            sum[0] += v.x; sum[1] += v.y; sum[2] += v.z; sum[3] += v.w;
        }
        store_output4<EPI>(sum, bias, m, n, N, out, slots, kv, slotCount, headDim);
    }
}
#endif

// The single-tile linear's rows 0..rows-1 of X [rows, K] copied into shared memory (staged [rows][K]), normalized
// when lnWeight is not null; rows <= MR (1 or 8), so the per-row loads and sums unroll into registers.
template <int MR>
__device__ __forceinline__ void stage_rows(const half_t* __restrict__ X, const half_t* __restrict__ lnWeight,
                                           const half_t* __restrict__ lnBias, float eps, int rows, int K, half_t* staged,
                                           float* rowMean, float* rowRstd, float (*partSum)[8], float (*partSq)[8]) {
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const bool norm = lnWeight != 0;
    const int chunks = K / 8;
    // Every row's loads are issued before any of them is used (at most MR, unrolled), so their round trips overlap
    // instead of queueing one row at a time.
    if (norm) {  // one pass, shifted by each row's first element so E[x^2] - E[x]^2 does not cancel
        float s[MR], sq[MR], shift[MR];
#pragma unroll
        for (int m = 0; m < MR; m++) {
            s[m] = sq[m] = 0.f;
            shift[m] = m < rows ? h2f(X[(size_t)m * K]) : 0.f;
        }
        for (int c = threadIdx.x; c < chunks; c += blockDim.x) {
            U4 v[MR];
#pragma unroll
            for (int m = 0; m < MR; m++) if (m < rows) v[m] = load(X + (size_t)m * K + 8 * c);
#pragma unroll
            for (int m = 0; m < MR; m++) {
                if (m < rows) {
                    s[m] += sum8(v[m]) - 8.f * shift[m];
                    sq[m] += sq8(v[m], shift[m]);
                }
            }
        }
#pragma unroll
        for (int m = 0; m < MR; m++) {
            if (m < rows) {  // rows is the same for the whole block: every lane takes part in the shuffles
                const float ws = warp_sum(s[m]), wq = warp_sum(sq[m]);
                if (lane == 0) { partSum[warp][m] = ws; partSq[warp][m] = wq; }
            }
        }
        __syncthreads();
        if (threadIdx.x < rows) {
            const int m = threadIdx.x;
            float s = 0.f, sq = 0.f;
            for (int w = 0; w < LINEAR_WARPS; w++) { s += partSum[w][m]; sq += partSq[w][m]; }
            const float shiftedMean = s / K;
            rowMean[m] = h2f(X[(size_t)m * K]) + shiftedMean;
            rowRstd[m] = rsqrtf(fmaxf(sq / K - shiftedMean * shiftedMean, 0.f) + eps);
        }
        __syncthreads();
    }
    for (int c = threadIdx.x; c < chunks; c += blockDim.x) {
        U4 gam, bet;
        if (norm) { gam = load(lnWeight + 8 * c); bet = load(lnBias + 8 * c); }
        U4 v[MR];
#pragma unroll
        for (int m = 0; m < MR; m++) if (m < rows) v[m] = load(X + (size_t)m * K + 8 * c);
#pragma unroll
        for (int m = 0; m < MR; m++) {
            if (m < rows) *(U4*)(staged + (size_t)m * K + 8 * c) = norm ? normalize8(v[m], rowMean[m], rowRstd[m], gam, bet) : v[m];
        }
    }
}

// out = epilogue(layer_norm?(X) W^T + bias) for X [rows, K] (rows padded to 8*NT in memory), W [N, K] row-major,
// K a multiple of 32; the layer norm only with one row tile (NT == 1). X must not alias out (blocks read all of X
// while others write out).
//
// One block owns 16*RT output features for every token row; its 8 warps are RT row tiles x (8/RT) groups that
// split K, and meet in shared memory. Within a warp, mma.m16n8k16 takes 16 weight rows as A and 8 token rows as B.
// The reduction over k does not care how k is ordered as long as A and B agree, so each lane feeds the mma the 8
// consecutive k it loaded with one 16-byte load (lane t of a quad: k = 8t..8t+7 of a 32-wide step, split over two
// mmas) instead of the strided k of the canonical fragment layout: every weight byte arrives in a full 16-byte load.
// RT > 1 lets more features share each activation load: with many token rows, re-reading X from L2 in every
// block would otherwise cost more than streaming W.
//
// The first weight loads are issued before the layer-norm statistics and each batch's successor before the batch
// is used (with more than one row tile, each slot's next step as soon as the slot is used), so DRAM latency
// overlaps everything else in the kernel.
//
// The epilogue (GELU, residual add, the q / K / V split, fp32 logits) is store_output's.
template <int NT, int RT, int EPI>
__device__ __forceinline__ void linear(const half_t* __restrict__ X, const half_t* __restrict__ W, const half_t* __restrict__ bias,
                                       const half_t* __restrict__ lnWeight, const half_t* __restrict__ lnBias, float eps,
                                       int rows, int N, int K, void* out, const long long* __restrict__ slots,
                                       half_t* kv, int slotCount, int headDim) {
    constexpr int R = 8 * NT;          // token rows held by the mma tiles
    constexpr int KG = LINEAR_WARPS / RT; // warps that split K for one row tile
    constexpr int F = 16 * RT;         // features per block
    // 32-wide k steps of weights in flight per warp. One row tile loads them in batches, two in flight: 5 steps per
    // warp put a whole 1280-wide row block in flight before the previous kernel has finished. With more rows the
    // registers go to the rows' fragments, so each slot is refilled as soon as its step is used (no second batch).
    constexpr bool REFILL = NT > 1;
    constexpr int U = NT == 1 ? 5 : NT == 2 ? 6 : NT == 4 ? 4 : 3;
    __shared__ float partial[KG][F][R + 1];  // +1: the epilogue reads down a feature column without bank conflicts
    __shared__ float rowMean[8], rowRstd[8];  // one row tile
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int g = lane >> 2, t = lane & 3;
    const int tile = warp % RT, group = warp / RT;
    const bool norm = lnWeight != 0;

    const int row0 = blockIdx.x * F + tile * 16;
    // The last block of a matrix whose N is not a multiple of F (the LM head) re-reads row N-1; not stored.
    const half_t* wA = W + (size_t)min(row0 + g, N - 1) * K + 8 * t;
    const half_t* wB = W + (size_t)min(row0 + g + 8, N - 1) * K + 8 * t;
    const int steps = K / 32;
    U4 a[U], b[U];
#pragma unroll
    for (int u = 0; u < U; u++) {
        const int s = group + u * KG;
        if (s < steps) { a[u] = load_stream(wA + s * 32); b[u] = load_stream(wB + s * 32); }
    }
    // Each thread's epilogue item (one per thread when they fit): its bias is a weight, fetched before the wait.
    constexpr bool ONE_ITEM = F * R <= 32 * LINEAR_WARPS;
    const int itemF = threadIdx.x % F, itemM = threadIdx.x / F, itemN = blockIdx.x * F + itemF;
    const bool itemLive = ONE_ITEM && threadIdx.x < F * R && itemM < rows && itemN < N;
    float itemBias = 0.f, itemResidual = 0.f;
    if (EPI != EPI_LOGITS && itemLive) itemBias = h2f(bias[itemN]);

    wait_for_previous_kernel();  // X (and out, for the residual) come from earlier kernels
    if (EPI == EPI_RESIDUAL && itemLive) itemResidual = h2f(((const half_t*)out)[(size_t)itemM * N + itemN]);

    // One row tile (decode steps, small trees): the rows are staged in shared memory once, normalized if asked,
    // so the main loop reads them without an L2 round trip per step. More rows are read from L2 at every step and
    // must already be normalized (lnWeight null): FusedForward runs the layer_norm kernel first, once for all
    // blocks. (Staging 16..64 rows in shared memory as well, normalized there, measured slower on an H200.)
    extern __shared__ __align__(16) unsigned char dynamicShared[];
    half_t* staged = (half_t*)dynamicShared;  // [rows][K] when NT == 1
    if (NT == 1) {
        __shared__ float partSum[LINEAR_WARPS][8], partSq[LINEAR_WARPS][8];
        // A decode step's one row gets code of its own: the eight-row form's registers and predicated loads cost the
        // 1-token GPT-2-L step ~3% on an H200.
        if (rows == 1) stage_rows<1>(X, lnWeight, lnBias, eps, rows, K, staged, rowMean, rowRstd, partSum, partSq);
        else stage_rows<8>(X, lnWeight, lnBias, eps, rows, K, staged, rowMean, rowRstd, partSum, partSq);
        __syncthreads();
    } else if (norm) {
        asm("trap;");  // more rows are read from L2 at every step and must come normalized (see above)
    }

    float acc[NT][4];
#pragma unroll
    for (int j = 0; j < NT; j++) acc[j][0] = acc[j][1] = acc[j][2] = acc[j][3] = 0.f;

    for (int s0 = group; s0 < steps; s0 += KG * U) {
        U4 ca[REFILL ? 1 : U], cb[REFILL ? 1 : U];
        if (!REFILL) {
#pragma unroll
            for (int u = 0; u < U; u++) { ca[u] = a[u]; cb[u] = b[u]; }
#pragma unroll
            for (int u = 0; u < U; u++) {
                const int s = s0 + KG * U + u * KG;
                if (s < steps) { a[u] = load_stream(wA + s * 32); b[u] = load_stream(wB + s * 32); }
            }
        }
#pragma unroll
        for (int u = 0; u < U; u++) {
            const int s = s0 + u * KG;
            if (s >= steps) break;
            const int k = s * 32 + 8 * t;
            // Every row's load first, then the mmas: a load per mma would wait out an L2 round trip each.
            U4 xs[NT];
            if (NT == 1) {
                const U4 zero = {0u, 0u, 0u, 0u};
                xs[0] = g < rows ? *(const U4*)(staged + (size_t)g * K + k) : zero;
            } else {
#pragma unroll
                for (int j = 0; j < NT; j++) xs[j] = load(X + (size_t)(8 * j + g) * K + k);
            }
            const U4 wa = REFILL ? a[u] : ca[REFILL ? 0 : u], wb = REFILL ? b[u] : cb[REFILL ? 0 : u];
#pragma unroll
            for (int j = 0; j < NT; j++) {
                mma16816(acc[j], wa.x, wb.x, wa.y, wb.y, xs[j].x, xs[j].y);
                mma16816(acc[j], wa.z, wb.z, wa.w, wb.w, xs[j].z, xs[j].w);
            }
            if (REFILL && s + KG * U < steps) { a[u] = load_stream(wA + (s + KG * U) * 32); b[u] = load_stream(wB + (s + KG * U) * 32); }
        }
    }

    allow_next_kernel();
    // acc[j]: (feature g, tokens 8j+2t, +1) and (feature g+8, same tokens)
    const int f0 = tile * 16;
#pragma unroll
    for (int j = 0; j < NT; j++) {
        partial[group][f0 + g][8 * j + 2 * t] = acc[j][0];
        partial[group][f0 + g][8 * j + 2 * t + 1] = acc[j][1];
        partial[group][f0 + g + 8][8 * j + 2 * t] = acc[j][2];
        partial[group][f0 + g + 8][8 * j + 2 * t + 1] = acc[j][3];
    }
    __syncthreads();

    for (int i = threadIdx.x; i < F * R; i += blockDim.x) {
        const int f = i % F, m = i / F;  // consecutive threads write consecutive features of one row
        const int n = blockIdx.x * F + f;
        if (m >= rows || n >= N) continue;
        float sum = 0.f;
#pragma unroll
        for (int w = 0; w < KG; w++) sum += partial[w][f][m];
        const half_t* o = (const half_t*)out + (size_t)m * N + n;
        const float residual = EPI != EPI_RESIDUAL ? 0.f : ONE_ITEM ? itemResidual : h2f(*o);
        store_output<EPI>(sum, EPI == EPI_LOGITS ? 0.f : ONE_ITEM ? itemBias : h2f(bias[n]), residual, m, n, N, out, slots, kv,
                          slotCount, headDim);
    }
}

#define LINEAR_ENTRY(NAME, NT, RT, EPI)                                                                               \
    extern "C" __global__ void __launch_bounds__(32 * LINEAR_WARPS, 2) NAME##_##NT##x##RT(                            \
        const half_t* X, const half_t* W, const half_t* bias, const half_t* lnWeight, const half_t* lnBias, float eps, \
        int rows, int N, int K, void* out, const long long* slots, half_t* kv, int slotCount, int headDim) {          \
        linear<NT, RT, EPI>(X, W, bias, lnWeight, lnBias, eps, rows, N, K, out, slots, kv, slotCount, headDim);      \
    }
#define LINEAR_TILES(NAME, NT, EPI) LINEAR_ENTRY(NAME, NT, 1, EPI) LINEAR_ENTRY(NAME, NT, 2, EPI) LINEAR_ENTRY(NAME, NT, 4, EPI)
#define LINEAR_ENTRIES(NAME, EPI) \
    LINEAR_TILES(NAME, 1, EPI) LINEAR_TILES(NAME, 2, EPI) LINEAR_TILES(NAME, 4, EPI) LINEAR_TILES(NAME, 8, EPI)

LINEAR_ENTRIES(linear_gelu, EPI_GELU)
LINEAR_ENTRIES(linear_residual, EPI_RESIDUAL)
LINEAR_ENTRIES(linear_qkv, EPI_QKV)
LINEAR_ENTRIES(linear_logits, EPI_LOGITS)

// Tree batches (16..64 token rows): out = epilogue(X W^T + bias) for X already normalized, rows padded to 8*NT.
//
// One block owns 64 features (4 tiles of 16) for every token row and a slice of K; the blocks of a thread-block
// cluster (grid y = cluster size, up to 8) split K between them. So a 1280-wide matrix still spreads over every
// multiprocessor while each input row is read from L2 once per 64 features (the single-tile kernel above re-reads X
// per 16 features, 4x the weight bytes at 64 rows). Its 8 warps are 4 feature tiles x 2 groups splitting the block's
// K slice. Latency, not bandwidth, bounds matrices this small, so the block keeps the fewest round trips in its way:
// each warp issues the loads of up to U weight steps (its whole share, for most GPT-2 shapes) before waiting on the
// previous kernel, then the block copies its whole slice of the input rows into shared memory at once, and the mmas
// run from registers and shared memory. Partial sums meet in shared memory (the 2 groups), then each block pushes
// every other block's share of the tile's outputs into that block's inbox (stores into distributed shared memory do
// not wait for a reply) and finishes its own share. Sums run in a fixed order (groups, then cluster ranks), so the
// result does not depend on timing.
//
// Dynamic shared memory, in 16-byte units as the host computes it (FusedForward.rowsSharedBytes): the input rows,
// R x stride halves (stride = 32 x the slice's k steps rounded up to even, + 32: rows g and g+1 of a quarter-warp's
// 16-byte loads then land in opposite halves of the banks), reused for the partial sums [2][64][R + 1] floats after the
// main loop; then the inbox, splits x share floats (share = 64 R / splits rounded up, then up to a multiple of 4).
template <int NT, int EPI>
__device__ __forceinline__ void linear_rows(const half_t* __restrict__ X, const half_t* __restrict__ W, const half_t* __restrict__ bias,
                                            int rows, int N, int K, void* out, const long long* __restrict__ slots, half_t* kv,
                                            int slotCount, int headDim) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    constexpr int R = 8 * NT, RT = 4, KG = LINEAR_WARPS / RT, F = 16 * RT;
    constexpr int U = NT == 8 ? 5 : 6;  // weight steps in flight per warp
    extern __shared__ __align__(16) unsigned char dynamicShared[];
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int g = lane >> 2, t = lane & 3;
    const int tile = warp % RT, group = warp / RT;
    const int split = cluster_rank(), splits = cluster_size();
    const int steps = K / 32, mostSteps = (steps + splits - 1) / splits;
    const int first = split * steps / splits, last = (split + 1) * steps / splits;  // this block's k steps
    const int stride = 32 * (mostSteps + (mostSteps & 1)) + 32;
    const int front = ((max(R * stride * 2, KG * F * (R + 1) * 4) + 15) / 16) * 16;
    const int share = (((F * R + splits - 1) / splits + 3) / 4) * 4;
    half_t* staged = (half_t*)dynamicShared;                  // [R][stride], k from first * 32
    float* partial = (float*)dynamicShared;                   // [KG][F][R + 1] after the main loop
    float* inbox = (float*)(dynamicShared + front);           // [splits][share]

    const int row0 = blockIdx.x * F + tile * 16;
    const half_t* wA = W + (size_t)min(row0 + g, N - 1) * K + 8 * t;
    const half_t* wB = W + (size_t)min(row0 + g + 8, N - 1) * K + 8 * t;
    U4 a[U], b[U];
#pragma unroll
    for (int u = 0; u < U; u++) {
        const int s = first + group + u * KG;
        if (s < last) { a[u] = load_stream(wA + s * 32); b[u] = load_stream(wB + s * 32); }
    }
    wait_for_previous_kernel();  // X (and out, for the residual) come from earlier kernels

    const int pieces = 4 * (last - first);  // 16-byte pieces of a row's slice
    for (int c = threadIdx.x; c < R * pieces; c += blockDim.x) {
        const int m = c / pieces, p = c - m * pieces;
        copy_async16(staged + m * stride + 8 * p, X + (size_t)m * K + 32 * first + 8 * p);
    }
    commit_copies();
    wait_copies<0>();
    __syncthreads();  // the input rows are in (the first U weight steps of every warp have been in flight meanwhile)

    float acc[NT][4];
#pragma unroll
    for (int j = 0; j < NT; j++) acc[j][0] = acc[j][1] = acc[j][2] = acc[j][3] = 0.f;
    const half_t* x0 = staged + g * stride + 8 * t;
    for (int s0 = first + group; s0 < last; s0 += KG * U) {
#pragma unroll
        for (int u = 0; u < U; u++) {
            const int s = s0 + u * KG;
            if (s >= last) break;
#pragma unroll
            for (int j = 0; j < NT; j++) {
                const U4 x = *(const U4*)(x0 + 8 * j * stride + 32 * (s - first));
                mma16816(acc[j], a[u].x, b[u].x, a[u].y, b[u].y, x.x, x.y);
                mma16816(acc[j], a[u].z, b[u].z, a[u].w, b[u].w, x.z, x.w);
            }
            const int next = s + KG * U;  // slices longer than U steps per warp: refill this slot at once
            if (next < last) { a[u] = load_stream(wA + next * 32); b[u] = load_stream(wB + next * 32); }
        }
    }

    allow_next_kernel();
    __syncthreads();  // the staged rows' memory now holds the partial sums
    // acc[j]: (feature g, tokens 8j+2t, +1) and (feature g+8, same tokens)
    const int f0 = tile * 16;
#pragma unroll
    for (int j = 0; j < NT; j++) {
        float* p = partial + (group * F + f0 + g) * (R + 1) + 8 * j + 2 * t;
        p[0] = acc[j][0];
        p[1] = acc[j][1];
        p[8 * (R + 1)] = acc[j][2];
        p[8 * (R + 1) + 1] = acc[j][3];
    }
    __syncthreads();
    cluster_reduce_store<F, R, KG, EPI>(partial, inbox, share, split, splits, rows, blockIdx.x * F, N, out, bias, slots, kv,
                                        slotCount, headDim);
#else
    asm("trap;");  // clusters need sm_90; FusedForward launches this kernel only there
#endif
}

#define LINEAR_ROWS_ENTRY(NAME, NT, EPI)                                                                              \
    extern "C" __global__ void __launch_bounds__(32 * LINEAR_WARPS, 2) NAME##_##NT(                                  \
        const half_t* X, const half_t* W, const half_t* bias, int rows, int N, int K, void* out, const long long* slots, \
        half_t* kv, int slotCount, int headDim) {                                                                     \
        linear_rows<NT, EPI>(X, W, bias, rows, N, K, out, slots, kv, slotCount, headDim);                             \
    }
#define LINEAR_ROWS_ENTRIES(NAME, EPI) LINEAR_ROWS_ENTRY(NAME, 2, EPI) LINEAR_ROWS_ENTRY(NAME, 4, EPI) LINEAR_ROWS_ENTRY(NAME, 8, EPI)

LINEAR_ROWS_ENTRIES(linear_rows_gelu, EPI_GELU)
LINEAR_ROWS_ENTRIES(linear_rows_residual, EPI_RESIDUAL)
LINEAR_ROWS_ENTRIES(linear_rows_qkv, EPI_QKV)  // no LM head: its 786 tiles of 64 fill the card without splitting K

// Residual add of 8 elements k .. k+7 of a row: x + fp16(bias + the sum of a split-K linear's float32 partials)
// (parts[s] + k for s < partCount, partStride apart), the linear's output rounded to fp16 once as cuBLAS's bias
// epilogue rounds it, then the add rounded as ATen's fp16 add. All partials' loads are issued before the first add,
// four at a time.
__device__ __forceinline__ U4 add_parts8(U4 x, const float* parts, int partCount, int partStride, U4 bias) {
    constexpr int GROUP = 4;
    float y[8] = {lo(bias.x), hi(bias.x), lo(bias.y), hi(bias.y), lo(bias.z), hi(bias.z), lo(bias.w), hi(bias.w)};
    for (int s0 = 0; s0 < partCount; s0 += GROUP) {
        F4 a[GROUP], b[GROUP];
#pragma unroll
        for (int s = 0; s < GROUP; s++) {
            if (s0 + s < partCount) {
                const float* p = parts + (size_t)(s0 + s) * partStride;
                a[s] = *(const F4*)p;
                b[s] = *(const F4*)(p + 4);
            }
        }
#pragma unroll
        for (int s = 0; s < GROUP; s++) {
            if (s0 + s < partCount) {
                y[0] += a[s].x; y[1] += a[s].y; y[2] += a[s].z; y[3] += a[s].w;
                y[4] += b[s].x; y[5] += b[s].y; y[6] += b[s].z; y[7] += b[s].w;
            }
        }
    }
    U4 r;
    r.x = pack(lo(x.x) + h2f(f2h(y[0])), hi(x.x) + h2f(f2h(y[1])));
    r.y = pack(lo(x.y) + h2f(f2h(y[2])), hi(x.y) + h2f(f2h(y[3])));
    r.z = pack(lo(x.z) + h2f(f2h(y[4])), hi(x.z) + h2f(f2h(y[5])));
    r.w = pack(lo(x.w) + h2f(f2h(y[6])), hi(x.w) + h2f(f2h(y[7])));
    return r;
}

// Sum of v over the block, returned to every thread; `scratch` holds a float per warp and is free again on return
// only after the caller's next __syncthreads (each call takes its own).
__device__ __forceinline__ float block_sum(float v, float* scratch) {
    v = warp_sum(v);
    if ((threadIdx.x & 31) == 0) scratch[threadIdx.x >> 5] = v;
    __syncthreads();
    float total = 0.f;
    for (int w = 0; w < (int)(blockDim.x >> 5); w++) total += scratch[w];
    return total;
}

// out[m] = layer_norm(X[m]), a block per row m and a thread per 8 elements (blockDim = K / 8 rounded up to whole
// warps, K <= 8192), so a row's loads are all in flight at once. With many token rows the linears read normalized
// rows from here instead of normalizing X in every block. With parts (not null: a split-K linear run by cuBLAS,
// float32 partials [partCount, rows, K] partStride apart, which has no residual epilogue), the residual add comes
// first: X[m] = X[m] + fp16(partBias + the partials' sum), written back, then normalized.
extern "C" __global__ void __launch_bounds__(1024) layer_norm(half_t* X, const float* parts, int partCount, int partStride,
                                                              const half_t* partBias, const half_t* w, const half_t* b,
                                                              float eps, int K, half_t* out) {
    __shared__ float sums[32], squares[32];
    const int m = blockIdx.x, k = threadIdx.x * 8;
    const bool live = k < K;
    // The parameters are weights, read before the programmatic-launch wait; the row and partials come from the
    // previous kernels.
    U4 g, beta, pb;
    if (live) {
        g = load_stream(w + k);
        beta = load_stream(b + k);
        if (parts != nullptr) pb = load_stream(partBias + k);
    }
    wait_for_previous_kernel();
    allow_next_kernel();
    half_t* row = X + (size_t)m * K;
    U4 v = {0u, 0u, 0u, 0u};
    if (live) {
        v = load(row + k);
        if (parts != nullptr) {
            v = add_parts8(v, parts + (size_t)m * K + k, partCount, partStride, pb);
            *(U4*)(row + k) = v;
        }
    }
    const float mean = block_sum(live ? sum8(v) : 0.f, sums) / K;
    const float rstd = rsqrtf(block_sum(live ? sq8(v, mean) : 0.f, squares) / K + eps);
    if (live) *(U4*)(out + (size_t)m * K + k) = normalize8(v, mean, rstd, g, beta);
}

// The end of an LM head whose first `aligned` columns (the vocabulary rounded down to a multiple of 8, which cuBLAS
// needs for its fast kernels) cuBLAS computed into head [rows, aligned] fp16: widens them into the float32 logits
// [rows, vocab] and computes the remaining vocab - aligned (< 8) columns from the normalized rows X [rows, K] and wte,
// rounded to fp16 as the linear's output is. Grid: rows x slices blocks, each widening one slice of a row, a column
// per thread at a time so a warp's stores are contiguous (vocab is odd in general, so rows are not 16-byte aligned
// and 8 columns per thread would leave each store instruction 32 strided words); slice 0's warps also take the
// remaining columns, one each.
extern "C" __global__ void widen_logits(const half_t* __restrict__ head, int aligned, const half_t* __restrict__ X,
                                        const half_t* __restrict__ wte, int K, int vocab, float* __restrict__ logits) {
    constexpr int PER = 16;  // columns per thread in flight at once
    const int m = blockIdx.x, warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int extra = blockIdx.y == 0 ? aligned + warp : vocab;  // this warp's remaining column, if any
    wait_for_previous_kernel();
    allow_next_kernel();
    if (extra < vocab) {
        float sum = 0.f;
        for (int k = lane * 8; k < K; k += 256) {
            const U4 x = load(X + (size_t)m * K + k), w = load_stream(wte + (size_t)extra * K + k);
            sum += lo(x.x) * lo(w.x) + hi(x.x) * hi(w.x) + lo(x.y) * lo(w.y) + hi(x.y) * hi(w.y)
                 + lo(x.z) * lo(w.z) + hi(x.z) * hi(w.z) + lo(x.w) * lo(w.w) + hi(x.w) * hi(w.w);
        }
        sum = warp_sum(sum);
        if (lane == 0) logits[(size_t)m * vocab + extra] = h2f(f2h(sum));
    }
    const int perSlice = (aligned + gridDim.y - 1) / gridDim.y;
    const int first = blockIdx.y * perSlice, last = min(aligned, first + perSlice);
    const half_t* row = head + (size_t)m * aligned;
    float* out = logits + (size_t)m * vocab;
    for (int c0 = first + threadIdx.x; c0 < last; c0 += PER * blockDim.x) {
        half_t v[PER];
#pragma unroll
        for (int u = 0; u < PER; u++) if (c0 + u * blockDim.x < last) v[u] = row[c0 + u * blockDim.x];
#pragma unroll
        for (int u = 0; u < PER; u++) if (c0 + u * blockDim.x < last) out[c0 + u * blockDim.x] = h2f(v[u]);
    }
}

// x[m] = wte[ids[m]] + wpe[positions[m]], rounded as ATen's add of two fp16 embeddings.
extern "C" __global__ void embed(const long long* ids, const long long* positions, const half_t* wte, const half_t* wpe,
                                 half_t* x, int d) {
    const int m = blockIdx.x;
    wait_for_previous_kernel();
    allow_next_kernel();
    const half_t* e = wte + ids[m] * d;
    const half_t* p = wpe + positions[m] * d;
    for (int i = threadIdx.x; i < d; i += blockDim.x) x[(size_t)m * d + i] = f2h(h2f(e[i]) + h2f(p[i]));
}

// Sums v[0..N) over the 32 lanes of a warp, leaving lane l with the totals of elements (N/32) l .. (N/32) (l+1) - 1
// in v[0 .. N/32): at each step a lane keeps one half of what it holds and adds the partner's copy of that half, so
// the whole reduction costs N - N/32 shuffles instead of 5 per element. Recursion on templates keeps every index a
// compile-time constant (a runtime index would put v in local memory).
template <int N, int O>
struct ReduceScatter {
    static __device__ __forceinline__ void run(float* v, int lane) {
        const bool upper = (lane & O) != 0;
#pragma unroll
        for (int i = 0; i < N / 2; i++) {
            const float give = upper ? v[i] : v[i + N / 2];
            const float keep = upper ? v[i + N / 2] : v[i];
            v[i] = keep + __shfl_xor_sync(FULL_MASK, give, O);
        }
        ReduceScatter<N / 2, O / 2>::run(v, lane);
    }
};
template <int N>
struct ReduceScatter<N, 0> {
    static __device__ __forceinline__ void run(float*, int) {}
};

// Attention of token row blockIdx.y, head blockIdx.x, over the slots its mask row allows among [0, limits[1]).
// limits = {real rows, key limit}: rows at or past limits[0] are padding and get zeros; no real row attends to a
// slot at or past the key limit, so the loop never walks the storage's unused width. Each lane of each warp takes
// one key at a time, whole: its score, then p * its value row into the lane's own accumulator of headDim floats
// (all loads of a step independent, so they are in flight together); warps keep an online softmax each and the
// lanes' accumulators are summed once at the end. DPL = head dims per lane after that sum (headDim = 32 * DPL).
template <int DPL>
__device__ __forceinline__ void attention(const half_t* __restrict__ q, const half_t* __restrict__ kv,
                                          const unsigned char* __restrict__ mask, const long long* __restrict__ limits,
                                          half_t* __restrict__ out, int heads, int slotCount, float scale) {
    constexpr int HD = 32 * DPL;
    __shared__ float query[HD];
    __shared__ float warpMax[ATTENTION_WARPS], warpSum[ATTENTION_WARPS], warpAcc[ATTENTION_WARPS][HD];
    const int head = blockIdx.x, m = blockIdx.y, d = heads * HD;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    half_t* o = out + (size_t)m * d + head * HD;
    wait_for_previous_kernel();
    if (m >= (int)limits[0]) {
        for (int i = threadIdx.x; i < HD; i += blockDim.x) o[i] = 0;
        return;
    }
    const int keyLimit = (int)limits[1];
    for (int i = threadIdx.x; i < HD; i += blockDim.x) query[i] = h2f(q[(size_t)m * d + head * HD + i]);
    __syncthreads();

    const half_t* keys = kv + (size_t)head * slotCount * HD;
    const half_t* values = kv + ((size_t)heads + head) * slotCount * HD;
    const unsigned char* allowed = mask + (size_t)m * slotCount;
    float runMax = neg_inf(), runSum = 0.f, acc[HD];
#pragma unroll
    for (int i = 0; i < HD; i++) acc[i] = 0.f;

    for (int base = warp * 32; base < keyLimit; base += ATTENTION_WARPS * 32) {
        const int s = base + lane;
        const bool live = s < keyLimit && allowed[s];
        float score = neg_inf();
        U4 vrow[HD / 8];  // the value row is loaded with the key, so both come in one round trip
        if (live) {
            const half_t* k = keys + (size_t)s * HD;
            const half_t* v = values + (size_t)s * HD;
            U4 krow[HD / 8];
#pragma unroll
            for (int i = 0; i < HD / 8; i++) { krow[i] = load(k + 8 * i); vrow[i] = load(v + 8 * i); }
            float dot = 0.f;
#pragma unroll
            for (int i = 0; i < HD; i += 8) {
                const U4 x = krow[i / 8];
                dot += query[i] * lo(x.x) + query[i + 1] * hi(x.x) + query[i + 2] * lo(x.y) + query[i + 3] * hi(x.y)
                     + query[i + 4] * lo(x.z) + query[i + 5] * hi(x.z) + query[i + 6] * lo(x.w) + query[i + 7] * hi(x.w);
            }
            score = dot * scale;
        }
        const float chunkMax = warp_max(score);
        if (chunkMax == neg_inf()) continue;  // warp-uniform
        const float newMax = fmaxf(runMax, chunkMax);
        const float correction = expf(runMax - newMax);
        const float p = live ? expf(score - newMax) : 0.f;
        runSum = runSum * correction + warp_sum(p);
        runMax = newMax;
#pragma unroll
        for (int i = 0; i < HD; i++) acc[i] *= correction;
        if (live) {
#pragma unroll
            for (int i = 0; i < HD; i += 8) {
                const U4 x = vrow[i / 8];
                acc[i] += p * lo(x.x); acc[i + 1] += p * hi(x.x); acc[i + 2] += p * lo(x.y); acc[i + 3] += p * hi(x.y);
                acc[i + 4] += p * lo(x.z); acc[i + 5] += p * hi(x.z); acc[i + 6] += p * lo(x.w); acc[i + 7] += p * hi(x.w);
            }
        }
    }

    allow_next_kernel();
    ReduceScatter<HD, 16>::run(acc, lane);  // lane l now holds dims DPL*l .. DPL*l + DPL-1 summed over the warp's keys
    if (lane == 0) { warpMax[warp] = runMax; warpSum[warp] = runSum; }
#pragma unroll
    for (int i = 0; i < DPL; i++) warpAcc[warp][lane * DPL + i] = acc[i];
    __syncthreads();
    for (int i = threadIdx.x; i < HD; i += blockDim.x) {
        float top = neg_inf();
        for (int w = 0; w < ATTENTION_WARPS; w++) top = fmaxf(top, warpMax[w]);
        float total = 0.f, value = 0.f;
        for (int w = 0; w < ATTENTION_WARPS; w++) {
            if (warpMax[w] == neg_inf()) continue;
            const float f = expf(warpMax[w] - top);
            total += warpSum[w] * f;
            value += warpAcc[w][i] * f;
        }
        o[i] = f2h(value / total);
    }
}

#define ATTENTION_ENTRY(HD, DPL)                                                                                          \
    extern "C" __global__ void __launch_bounds__(32 * ATTENTION_WARPS) attention_##HD(                                   \
        const half_t* q, const half_t* kv, const unsigned char* mask, const long long* limits, half_t* out, int heads,  \
        int slotCount, float scale) {                                                                                    \
        attention<DPL>(q, kv, mask, limits, out, heads, slotCount, scale);                                              \
    }
ATTENTION_ENTRY(32, 1)
ATTENTION_ENTRY(64, 2)

// Attention of 16 token rows at a time (blockIdx.y * 16 ..), head blockIdx.x, for tree batches: the rows share most
// keys (the committed prefix), so one block reads each key and value once for all 16 rows and both products run on
// tensor cores. S = Q K^T per 32-key chunk with mma.m16n8k16 (Q rows as A, key rows as B, head dims permuted per
// lane as in the linear kernel), an online softmax per row on the accumulators, then O += P V with P re-packed from
// the accumulators as the A operand (the C and A fragment layouts line up) and V as B. Warps take alternate chunks
// and merge at the end. Rows at or past limits[0] get zeros; a row whose mask allows no key gets zeros.
// With slots (not null: the qkv linear ran on cuBLAS, which cannot place K/V), q is that linear's output [rows, 3d]:
// the batch's own keys and values are read from those rows, and each block copies its 16 rows' K/V of its head into
// their cache slots for later forwards, so no separate kernel runs between the linear and attention and no read
// waits for the copy. This relies on how StaticForward lays out a batch: the real rows' slots are consecutive and end
// at the key limit (slots[r] = limits[1] - limits[0] + r), so keys from limits[1] - limits[0] on are the batch's.
template <int HD>
__device__ __forceinline__ void attention_rows(const half_t* __restrict__ q, const long long* __restrict__ slots,
                                               half_t* __restrict__ kv, const unsigned char* __restrict__ mask,
                                               const long long* __restrict__ limits, half_t* __restrict__ out, int heads,
                                               int slotCount, float scale) {
    constexpr int DT = HD / 8;   // 8-dim output tiles
    constexpr int DS = HD / 32;  // 32-dim steps of Q K^T
    __shared__ float partO[ROW_ATTENTION_WARPS][16][HD + 1];
    __shared__ float partMax[ROW_ATTENTION_WARPS][16], partSum[ROW_ATTENTION_WARPS][16];
    const int head = blockIdx.x, m0 = blockIdx.y * 16, d = heads * HD;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
    const int realRows = (int)limits[0], keyLimit = (int)limits[1];
    const half_t* keys = kv + (size_t)head * slotCount * HD;
    const half_t* values = kv + ((size_t)heads + head) * slotCount * HD;
    const int qStride = slots == nullptr ? d : 3 * d;
    // Keys from firstBatch on are this batch's rows, read from q's K/V columns (only with slots: the fused qkv linear
    // has already placed them in the cache).
    const int firstBatch = slots == nullptr ? keyLimit : keyLimit - realRows;
    // Where key `key` (< keyLimit + 32: the last chunk reads past the limit, masked) keeps its K (part 0) or V row.
    // Both addresses are computed and one selected, without a branch, so that ptxas can still issue all of a chunk's
    // loads before its first mma.
    auto keyRow = [&](int part, int key) -> const half_t* {
        const bool own = (unsigned)(key - firstBatch) < (unsigned)(keyLimit - firstBatch);
        const half_t* cached = (part == 0 ? keys : values) + (size_t)key * HD;
        const half_t* batch = q + (size_t)(own ? key - firstBatch : 0) * qStride + (size_t)(part + 1) * d + head * HD;
        return own ? batch : cached;
    };
    constexpr int COPIES = (2 * 16 * HD / 8 + 32 * ROW_ATTENTION_WARPS - 1) / (32 * ROW_ATTENTION_WARPS);
    U4 copy[COPIES];  // this block's share of the copy: 16-byte pieces of its rows' K (part 0) and V of this head
    long long copySlot[COPIES];
    if (slots != nullptr) {
#pragma unroll
        for (int u = 0; u < COPIES; u++) copySlot[u] = slots[m0 + (threadIdx.x + u * blockDim.x) / (HD / 8) % 16];
    }
    wait_for_previous_kernel();
    U4 qa[DS], qb[DS];  // rows g and g+8, dims 32s + 8t .. +7
#pragma unroll
    for (int st = 0; st < DS; st++) {
        qa[st] = load(q + (size_t)(m0 + g) * qStride + head * HD + 32 * st + 8 * t);
        qb[st] = load(q + (size_t)(m0 + g + 8) * qStride + head * HD + 32 * st + 8 * t);
    }
    if (slots != nullptr) {  // loaded now, stored at the end
#pragma unroll
        for (int u = 0; u < COPIES; u++) {
            const int i = threadIdx.x + u * blockDim.x, part = i / (16 * HD / 8), r = m0 + i / (HD / 8) % 16;
            if (i < 2 * 16 * HD / 8) copy[u] = load(q + (size_t)r * qStride + (size_t)(part + 1) * d + head * HD + 8 * (i % (HD / 8)));
        }
    }

    const bool rowA = m0 + g < realRows, rowB = m0 + g + 8 < realRows;
    const unsigned char* maskA = mask + (size_t)(m0 + g) * slotCount;
    const unsigned char* maskB = mask + (size_t)(m0 + g + 8) * slotCount;
    float runMax[2] = {neg_inf(), neg_inf()}, runSum[2] = {0.f, 0.f};
    float o[DT][4];
#pragma unroll
    for (int i = 0; i < DT; i++) o[i][0] = o[i][1] = o[i][2] = o[i][3] = 0.f;

    for (int base = warp * 32; base < keyLimit; base += ROW_ATTENTION_WARPS * 32) {
        // Every load of the chunk goes out first (values, keys, mask bytes), one round trip; the values' wait then
        // overlaps Q K^T and the softmax.
        unsigned vf[2][DT][2];  // B fragments of V: keys 16h + 2t, +1 and +8, +9, dims 8i + g
#pragma unroll
        for (int h = 0; h < 2; h++) {
            const int key = base + 16 * h + 2 * t;
            const half_t *v0 = keyRow(1, key) + g, *v1 = keyRow(1, key + 1) + g;
            const half_t *v8 = keyRow(1, key + 8) + g, *v9 = keyRow(1, key + 9) + g;
#pragma unroll
            for (int i = 0; i < DT; i++) {
                vf[h][i][0] = (unsigned)v0[8 * i] | ((unsigned)v1[8 * i] << 16);
                vf[h][i][1] = (unsigned)v8[8 * i] | ((unsigned)v9[8 * i] << 16);
            }
        }
        U4 kk[4][DS];                  // key tile kt: key 8kt + g, dims 32st + 8t .. +7
        unsigned char allowA[4][2], allowB[4][2];  // mask bytes of rows g and g+8 for keys 8kt + 2t, +1
#pragma unroll
        for (int kt = 0; kt < 4; kt++) {
            const half_t* k = keyRow(0, base + 8 * kt + g) + 8 * t;
#pragma unroll
            for (int st = 0; st < DS; st++) kk[kt][st] = load(k + 32 * st);
#pragma unroll
            for (int e = 0; e < 2; e++) {  // within the mask's rows: slotCount >= keyLimit + 32
                allowA[kt][e] = maskA[base + 8 * kt + 2 * t + e];
                allowB[kt][e] = maskB[base + 8 * kt + 2 * t + e];
            }
        }
        float sc[4][4];  // key tile kt: (row g, keys 8kt+2t, +1), (row g+8, same keys)
#pragma unroll
        for (int kt = 0; kt < 4; kt++) {
            sc[kt][0] = sc[kt][1] = sc[kt][2] = sc[kt][3] = 0.f;
#pragma unroll
            for (int st = 0; st < DS; st++) {
                mma16816(sc[kt], qa[st].x, qb[st].x, qa[st].y, qb[st].y, kk[kt][st].x, kk[kt][st].y);
                mma16816(sc[kt], qa[st].z, qb[st].z, qa[st].w, qb[st].w, kk[kt][st].z, kk[kt][st].w);
            }
        }
        float chunkMax[2] = {neg_inf(), neg_inf()};
#pragma unroll
        for (int kt = 0; kt < 4; kt++) {
#pragma unroll
            for (int e = 0; e < 4; e++) {
                const int key = base + 8 * kt + 2 * t + (e & 1);
                const bool upper = e >= 2;
                const bool allowed = key < keyLimit && (upper ? rowB && allowB[kt][e & 1] : rowA && allowA[kt][e & 1]);
                sc[kt][e] = allowed ? sc[kt][e] * scale : neg_inf();
                chunkMax[upper] = fmaxf(chunkMax[upper], sc[kt][e]);
            }
        }
        float correction[2];
#pragma unroll
        for (int r = 0; r < 2; r++) {
            chunkMax[r] = fmaxf(chunkMax[r], __shfl_xor_sync(FULL_MASK, chunkMax[r], 1));
            chunkMax[r] = fmaxf(chunkMax[r], __shfl_xor_sync(FULL_MASK, chunkMax[r], 2));
            const float newMax = fmaxf(runMax[r], chunkMax[r]);
            correction[r] = newMax == neg_inf() ? 1.f : expf(runMax[r] - newMax);
            runMax[r] = newMax;
        }
        float rowSum[2] = {0.f, 0.f};
#pragma unroll
        for (int kt = 0; kt < 4; kt++) {
#pragma unroll
            for (int e = 0; e < 4; e++) {
                const int r = e >= 2;
                sc[kt][e] = sc[kt][e] == neg_inf() ? 0.f : expf(sc[kt][e] - runMax[r]);
                rowSum[r] += sc[kt][e];
            }
        }
#pragma unroll
        for (int r = 0; r < 2; r++) {
            rowSum[r] += __shfl_xor_sync(FULL_MASK, rowSum[r], 1);
            rowSum[r] += __shfl_xor_sync(FULL_MASK, rowSum[r], 2);
            runSum[r] = runSum[r] * correction[r] + rowSum[r];
        }
#pragma unroll
        for (int i = 0; i < DT; i++) {
            o[i][0] *= correction[0]; o[i][1] *= correction[0];
            o[i][2] *= correction[1]; o[i][3] *= correction[1];
        }
        // O += P V over two 16-key halves; P's A fragment is the S accumulators of key tiles 2h and 2h+1.
#pragma unroll
        for (int h = 0; h < 2; h++) {
            const unsigned a0 = pack(sc[2 * h][0], sc[2 * h][1]), a1 = pack(sc[2 * h][2], sc[2 * h][3]);
            const unsigned a2 = pack(sc[2 * h + 1][0], sc[2 * h + 1][1]), a3 = pack(sc[2 * h + 1][2], sc[2 * h + 1][3]);
#pragma unroll
            for (int i = 0; i < DT; i++) mma16816(o[i], a0, a1, a2, a3, vf[h][i][0], vf[h][i][1]);
        }
    }

    allow_next_kernel();
    // o[i]: (row g, dims 8i + 2t, +1), (row g+8, same dims)
#pragma unroll
    for (int i = 0; i < DT; i++) {
        partO[warp][g][8 * i + 2 * t] = o[i][0];
        partO[warp][g][8 * i + 2 * t + 1] = o[i][1];
        partO[warp][g + 8][8 * i + 2 * t] = o[i][2];
        partO[warp][g + 8][8 * i + 2 * t + 1] = o[i][3];
    }
    if (t == 0) {
        partMax[warp][g] = runMax[0]; partSum[warp][g] = runSum[0];
        partMax[warp][g + 8] = runMax[1]; partSum[warp][g + 8] = runSum[1];
    }
    __syncthreads();
    for (int i = threadIdx.x; i < 16 * HD; i += blockDim.x) {
        const int r = i / HD, dim = i % HD, m = m0 + r;
        float top = neg_inf();
        for (int w = 0; w < ROW_ATTENTION_WARPS; w++) top = fmaxf(top, partMax[w][r]);
        float total = 0.f, value = 0.f;
        for (int w = 0; w < ROW_ATTENTION_WARPS; w++) {
            if (partMax[w][r] == neg_inf()) continue;
            const float f = expf(partMax[w][r] - top);
            total += partSum[w][r] * f;
            value += partO[w][r][dim] * f;
        }
        out[(size_t)m * d + head * HD + dim] = m < realRows && total > 0.f ? f2h(value / total) : (half_t)0;
    }
    if (slots != nullptr) {
#pragma unroll
        for (int u = 0; u < COPIES; u++) {
            const int i = threadIdx.x + u * blockDim.x, part = i / (16 * HD / 8);
            if (i < 2 * 16 * HD / 8) *(U4*)(kv + kv_index(part, heads, head, slotCount, copySlot[u], HD, 8 * (i % (HD / 8)))) = copy[u];
        }
    }
}

#define ROW_ATTENTION_ENTRY(HD)                                                                                           \
    extern "C" __global__ void __launch_bounds__(32 * ROW_ATTENTION_WARPS) attention_rows_##HD(                          \
        const half_t* q, const long long* slots, half_t* kv, const unsigned char* mask, const long long* limits,        \
        half_t* out, int heads, int slotCount, float scale) {                                                            \
        attention_rows<HD>(q, slots, kv, mask, limits, out, heads, slotCount, scale);                                   \
    }
ROW_ATTENTION_ENTRY(32)
ROW_ATTENTION_ENTRY(64)
