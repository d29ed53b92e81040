// EXPERIMENT, not used by the decoder: a tree-batch linear with weights and input rows streamed through a cp.async
// ring in shared memory and split-K over blocks, written in session 4 (2026-11-27) to replace the register-streaming
// linear for 16..64 rows. Measured on an H200 it was 1.3-3x SLOWER than that kernel (tools/probes/gpu/
// rows_linear_sweep.py; docs/log/2026-11-benchmarks-notebook.md, "Tree-batch linears: what did not work"), so it stays here, appended to
// gpt2_fused.cu by the sweep, for whoever picks the problem up. Nsight Compute: SMs active half the kernel's time,
// ~3,900 instructions per warp for a 9.8 MB qkv matrix at 64 rows; the last block of each tile doing the whole
// split-K epilogue left the other SMs idle.

// cp.async helpers (copy_async16, commit_copies, wait_copies) come from gpt2_fused.cu, which this file is appended to.

// Where output feature n of a linear goes and how it is rounded, worked out once per feature so that a thread storing
// that feature for many token rows pays the integer divisions once. Rounding follows the ATen path: logits are fp16
// widened to the float32 output; otherwise addmm's fp16 result (sum + bias) feeds GELU, the residual add
// (out += y) or the q / K / V split (feature n < d goes to q [rows, d]; the rest are K/V, written to the cache slot
// of the row in kv = [2, heads, slotCount, headDim], this layer's part of the storage).
template <int EPI>
struct OutputColumn {
    int n, N;
    int column;       // q column, or -1 for K/V
    size_t kvOffset;  // K/V: offset of slot 0 of this feature in kv
    int headDim;

    __device__ __forceinline__ OutputColumn(int n, int N, int slotCount, int headDim) : n(n), N(N), column(n), kvOffset(0), headDim(headDim) {
        if (EPI == EPI_QKV) {
            const int d = N / 3, part = n / d, c = n - part * d;
            column = part == 0 ? c : -1;
            if (part > 0) {
                const int heads = d / headDim, head = c / headDim, dim = c - head * headDim;
                kvOffset = ((size_t)(part - 1) * heads + head) * slotCount * headDim + dim;
            }
        }
    }

    __device__ __forceinline__ void store(float sum, float bias, float residual, int m, void* out, const long long* __restrict__ slots, half_t* kv) const {
        if (EPI == EPI_LOGITS) {
            ((float*)out)[(size_t)m * N + n] = h2f(f2h(sum));
            return;
        }
        const float y = h2f(f2h(sum + bias));  // addmm's fp16 output
        if (EPI == EPI_GELU) {
            ((half_t*)out)[(size_t)m * N + n] = f2h(gelu_tanh(sum + bias));
        } else if (EPI == EPI_RESIDUAL) {
            ((half_t*)out)[(size_t)m * N + n] = f2h(residual + y);
        } else if (column >= 0) {  // EPI_QKV: q
            ((half_t*)out)[(size_t)m * (N / 3) + column] = f2h(y);
        } else {
            kv[kvOffset + (size_t)slots[m] * headDim] = f2h(y);
        }
    }
};

// Split-K partial sums are read by another block of the same launch: through L2, never a stale L1 line.
__device__ __forceinline__ float load_shared_by_blocks(const float* p) {
    float v;
    asm volatile("ld.global.cg.f32 %0, [%1];" : "=f"(v) : "l"(p));
    return v;
}

#ifndef ROWS_LINEAR_WARPS
#define ROWS_LINEAR_WARPS 4   // 16 features each
#endif
#ifndef ROWS_LINEAR_STAGES
#define ROWS_LINEAR_STAGES 8  // stages in the shared-memory ring
#endif
#ifndef ROWS_LINEAR_KSTEPS
#define ROWS_LINEAR_KSTEPS 1  // 32-wide k steps per stage
#endif
#define ROWS_LINEAR_EPILOGUE_BATCH 8
#define ROWS_LINEAR_MAX_SLICES 8

// out = epilogue(X W^T + bias) for a batch of token rows (X [rows, K], rows padded to 8*NT in memory; W [N, K];
// K a multiple of 32 * ROWS_LINEAR_KSTEPS), the linear for tree batches. Why not the kernel above: with 16..64 rows
// its warps hold every row's mma fragments in registers and keep one 32-wide step of weights in flight, so it is
// latency-bound (0.4-0.9 TB/s measured on an H200). Here weights and input rows stream through a cp.async ring in
// shared memory, and the input rows are read from L2 once per block and shared by its warps.
//
// Block (x, y) owns 16 * ROWS_LINEAR_WARPS features (16 per warp, mma A operand; tokens are the 8-wide B operand) and
// the y-th of gridDim.y <= ROWS_LINEAR_MAX_SLICES slices of K. With more than one slice (matrices too narrow to fill the GPU otherwise) each
// block writes its fp32 partial tile to workspace [tiles][slices][rows][features] and counts itself in arrivals[x];
// the last block of a tile sums the slices in slice order (so results do not depend on which block finishes last),
// applies the epilogue and resets the count for the next launch. k is permuted per lane as in the kernel above (8
// consecutive k per 16-byte load). Within a stage a row's 16-byte chunks are XOR-swizzled so that the 8 lanes of each
// shared-memory load phase (rows g, g+1, chunks t) hit 32 distinct banks.
template <int NT, int EPI>
__device__ __forceinline__ void ring_linear_rows(const half_t* __restrict__ X, const half_t* __restrict__ W,
                                            const half_t* __restrict__ bias, int rows, int N, int K, void* out,
                                            const long long* __restrict__ slots, half_t* kv, int slotCount, int headDim,
                                            float* workspace, unsigned* arrivals) {
    constexpr int R = 8 * NT, F = 16 * ROWS_LINEAR_WARPS, S = ROWS_LINEAR_STAGES, KS = ROWS_LINEAR_KSTEPS;
    constexpr int THREADS = 32 * ROWS_LINEAR_WARPS, CHUNKS = 4 * KS;  // 16-byte chunks per row and stage
    constexpr int W_STAGE = F * 32 * KS, X_STAGE = R * 32 * KS;       // halves per stage
    extern __shared__ __align__(16) unsigned char dynamicShared[];
    half_t* stageW = (half_t*)dynamicShared;  // [S][F][32 KS]
    half_t* stageX = stageW + S * W_STAGE;    // [S][R][32 KS]
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
    const int tile = blockIdx.x, slices = gridDim.y, slice = blockIdx.y;
    const int stages = K / (32 * KS);
    const int first = stages * slice / slices, count = stages * (slice + 1) / slices - first;
    const int feature0 = tile * F;
    auto swizzle = [](int row, int chunk) { return KS == 1 ? chunk : chunk ^ ((row & 1) << 2); };

    // The last tile of a matrix whose N is not a multiple of F (the LM head) re-reads row N-1; not stored.
    auto loadWeights = [&](int i) {
        if (i >= count) return;
        half_t* dst = stageW + (i % S) * W_STAGE;
        const half_t* src = W + (size_t)(first + i) * 32 * KS;
#pragma unroll
        for (int c = threadIdx.x; c < F * CHUNKS; c += THREADS) {
            const int row = c / CHUNKS, chunk = c % CHUNKS;
            copy_async16(dst + row * 32 * KS + 8 * swizzle(row, chunk), src + (size_t)min(feature0 + row, N - 1) * K + 8 * chunk);
        }
    };
    auto loadRows = [&](int i) {
        if (i >= count) return;
        half_t* dst = stageX + (i % S) * X_STAGE;
        const half_t* src = X + (size_t)(first + i) * 32 * KS;
#pragma unroll
        for (int c = threadIdx.x; c < R * CHUNKS; c += THREADS) {
            const int row = c / CHUNKS, chunk = c % CHUNKS;
            copy_async16(dst + row * 32 * KS + 8 * swizzle(row, chunk), src + (size_t)row * K + 8 * chunk);
        }
    };

    // One copy group per stage, always committed (empty or not) so that group counting stays uniform: weights of
    // the first S-1 stages before the wait (they do not depend on earlier kernels), then the rows of those stages.
    for (int i = 0; i < S - 1; i++) { loadWeights(i); commit_copies(); }
    wait_for_previous_kernel();
    for (int i = 0; i < S - 1; i++) { loadRows(i); commit_copies(); }

    float acc[NT][4];
#pragma unroll
    for (int j = 0; j < NT; j++) acc[j][0] = acc[j][1] = acc[j][2] = acc[j][3] = 0.f;
    for (int i = 0; i < count; i++) {
        wait_copies<S - 2>();  // stage i has landed (for this thread's copies) ...
        __syncthreads();       // ... for every thread's, and every warp is done with stage i-1, whose slot is refilled now
        loadWeights(i + S - 1);
        loadRows(i + S - 1);
        commit_copies();
        const half_t* w = stageW + (i % S) * W_STAGE + (warp * 16 + g) * 32 * KS;
        const half_t* x = stageX + (i % S) * X_STAGE + g * 32 * KS;
#pragma unroll
        for (int ks = 0; ks < KS; ks++) {
            const int chunk = swizzle(g, 4 * ks + t);  // rows g, g+8 and 8j+g share their parity
            const U4 a = *(const U4*)(w + 8 * chunk), b = *(const U4*)(w + 8 * 32 * KS + 8 * chunk);
#pragma unroll
            for (int j = 0; j < NT; j++) {
                const U4 xs = *(const U4*)(x + j * 8 * 32 * KS + 8 * chunk);
                mma16816(acc[j], a.x, b.x, a.y, b.y, xs.x, xs.y);
                mma16816(acc[j], a.z, b.z, a.w, b.w, xs.z, xs.w);
            }
        }
    }
    wait_copies<0>();
    allow_next_kernel();
    __syncthreads();  // the ring is reused for the partial tile

    // acc[j]: (feature 16*warp + g, tokens 8j+2t, +1) and (feature +8, same tokens). Row pitch F+4 floats: the 32
    // lanes of each store hit distinct banks.
    constexpr int P = F + 4;
    float* part = (float*)dynamicShared;  // [R][P]
    const int f0 = warp * 16 + g;
#pragma unroll
    for (int j = 0; j < NT; j++) {
        part[(8 * j + 2 * t) * P + f0] = acc[j][0];
        part[(8 * j + 2 * t + 1) * P + f0] = acc[j][1];
        part[(8 * j + 2 * t) * P + f0 + 8] = acc[j][2];
        part[(8 * j + 2 * t + 1) * P + f0 + 8] = acc[j][3];
    }
    __syncthreads();

    if (slices > 1) {
        float* mine = workspace + ((size_t)tile * slices + slice) * R * F;
        for (int i = threadIdx.x; i < R * F; i += THREADS) mine[i] = part[(i / F) * P + i % F];
        __threadfence();  // this block's partials are visible device-wide before it is counted
        __syncthreads();
        __shared__ unsigned arrivedBefore;
        if (threadIdx.x == 0) arrivedBefore = atomicAdd(&arrivals[tile], 1u);
        __syncthreads();
        if (arrivedBefore != (unsigned)slices - 1) return;
        __threadfence();  // and every other block's partials are visible to this, the last one
    }
    // Thread -> one feature f (consecutive threads on consecutive features of a row) and every (THREADS / F)-th row,
    // in batches whose loads (other slices' partials, residuals) are all issued before any is used: one L2 round trip
    // per batch, not per element.
    constexpr int ROW_STEP = THREADS / F, B = ROWS_LINEAR_EPILOGUE_BATCH;
    const int f = threadIdx.x % F, n = feature0 + f;
    if (n >= N) return;
    const OutputColumn<EPI> column(n, N, slotCount, headDim);
    const float b = EPI != EPI_LOGITS ? h2f(bias[n]) : 0.f;
    for (int m0 = threadIdx.x / F; m0 < rows; m0 += B * ROW_STEP) {
        float got[ROWS_LINEAR_MAX_SLICES][B], res[B];
#pragma unroll
        for (int e = 0; e < B; e++) {
            const int m = m0 + e * ROW_STEP;
            const bool live = m < rows;
            res[e] = EPI == EPI_RESIDUAL && live ? h2f(((const half_t*)out)[(size_t)m * N + n]) : 0.f;
#pragma unroll
            for (int s = 0; s < ROWS_LINEAR_MAX_SLICES; s++) {
                const float* slicePart = workspace + ((size_t)tile * slices + s) * R * F;
                got[s][e] = !live || s >= slices ? 0.f : s == slice ? part[m * P + f] : load_shared_by_blocks(slicePart + m * F + f);
            }
        }
#pragma unroll
        for (int e = 0; e < B; e++) {
            const int m = m0 + e * ROW_STEP;
            if (m >= rows) break;
            float sum = got[0][e];  // in slice order, whichever block is last
#pragma unroll
            for (int s = 1; s < ROWS_LINEAR_MAX_SLICES; s++) if (s < slices) sum += got[s][e];
            column.store(sum, b, res[e], m, out, slots, kv);
        }
    }
    if (slices > 1 && threadIdx.x == 0) arrivals[tile] = 0;  // every block of this tile has counted itself
}

#define ROWS_LINEAR_ENTRY(NAME, NT, EPI)                                                                             \
    extern "C" __global__ void __launch_bounds__(32 * ROWS_LINEAR_WARPS) NAME##_rows_##NT(                             \
        const half_t* X, const half_t* W, const half_t* bias, int rows, int N, int K, void* out, const long long* slots, \
        half_t* kv, int slotCount, int headDim, float* workspace, unsigned* arrivals) {                                \
        ring_linear_rows<NT, EPI>(X, W, bias, rows, N, K, out, slots, kv, slotCount, headDim, workspace, arrivals);          \
    }
#define ROWS_LINEAR_ENTRIES(NAME, EPI) \
    ROWS_LINEAR_ENTRY(NAME, 1, EPI) ROWS_LINEAR_ENTRY(NAME, 2, EPI) ROWS_LINEAR_ENTRY(NAME, 4, EPI) ROWS_LINEAR_ENTRY(NAME, 8, EPI)

ROWS_LINEAR_ENTRIES(linear_gelu, EPI_GELU)
ROWS_LINEAR_ENTRIES(linear_residual, EPI_RESIDUAL)
ROWS_LINEAR_ENTRIES(linear_qkv, EPI_QKV)
ROWS_LINEAR_ENTRIES(linear_logits, EPI_LOGITS)

