// EXPERIMENT, not used by the decoder: a tree-batch linear on Hopper's warpgroup MMA (wgmma), appended to gpt2_fused.cu
// by tools/probes/gpu/wgmma_sweep.py. 64 token rows are wgmma's M; a block (one warpgroup, 128 threads) owns 64
// features (N) and a slice of K, split over a thread-block cluster as linear_rows does. Input rows and weights come
// through a 4-stage cp.async ring of 64-wide k stages in the unswizzled K-major layout wgmma reads through shared
// memory descriptors (8x8 core matrices of 16-byte rows); each stage is 4 wgmma m64n64k16. Why: Nsight Compute had
// linear_rows issue-bound (3.35 M warp instructions for 153,600 mma.sync at 64 rows); one wgmma does the work of 64
// mma.sync and reads its operands from shared memory itself. Measured slower than the kernels in use: bound by the
// per-thread copies. linear_wgmma_packed_* below takes operands packed beforehand into the tile layout and moves each
// stage with two bulk copies; that one beat the kernels in use on an H100 (docs/log/2026-11-benchmarks-notebook.md).

#if defined(__CUDA_ARCH_FEAT_SM90_ALL)  // wgmma: compiled for sm_90a only
#ifndef WG_STAGES
#define WG_STAGES 4
#endif
#define WG_KS 64                       // k per stage
#define WG_TILE_BYTES (64 * WG_KS * 2)  // one 64 x 64 fp16 operand tile

#ifndef WG_LBO
#define WG_LBO 128    // bytes between core matrices adjacent in K
#endif
#ifndef WG_SBO
#define WG_SBO 1024   // bytes between core matrices adjacent in M/N (8 rows apart)
#endif

// Byte offset of (row r, 16-byte chunk c of k) in a tile: core matrix (r / 8, c) at r/8 * SBO + c * LBO, row r % 8
// of it 16 bytes apart.
__device__ __forceinline__ int wg_offset(int r, int c) { return (r >> 3) * 1024 + c * 128 + (r & 7) * 16; }

__device__ __forceinline__ unsigned long long wg_descriptor(const void* tile) {
    const unsigned long long a = shared_address(tile);
    return ((a & 0x3FFFF) >> 4) | ((unsigned long long)(WG_LBO >> 4) << 16) | ((unsigned long long)(WG_SBO >> 4) << 32);
}

// Copies 16 bytes, or writes zeros when `valid` is false (rows past the batch).
__device__ __forceinline__ void copy_async16_or_zero(void* shared, const void* global, bool valid) {
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;" ::"r"(shared_address(shared)), "l"(global), "r"(valid ? 16 : 0)
                 : "memory");
}

__device__ __forceinline__ void wgmma_64x64x16(float* d, unsigned long long a, unsigned long long b) {
    asm volatile(
        "{\n"
        "wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31}, %32, %33, 1, 1, 1, 0, 0;\n"
        "}\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]), "+f"(d[7]), "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15]), "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31])
        : "l"(a), "l"(b));
}

// The warpgroup's 64 x 64 accumulators into partial = [64 features][65] floats (the cluster reduction's layout):
// d[4j..4j+3] of warp w, lane (g, t) are (token 16w+g, features 8j+2t, +1) and (token 16w+g+8, the same features).
__device__ __forceinline__ void store_accumulators(const float* d, float* partial) {
    const int warp = threadIdx.x >> 5, g = (threadIdx.x & 31) >> 2, t = threadIdx.x & 3;
#pragma unroll
    for (int j = 0; j < 8; j++) {
        const int f = 8 * j + 2 * t, m = 16 * warp + g;
        partial[f * 65 + m] = d[4 * j];
        partial[(f + 1) * 65 + m] = d[4 * j + 1];
        partial[f * 65 + m + 8] = d[4 * j + 2];
        partial[(f + 1) * 65 + m + 8] = d[4 * j + 3];
    }
}

template <int NT, int EPI>
__device__ __forceinline__ void linear_wgmma(const half_t* __restrict__ X, const half_t* __restrict__ W, const half_t* __restrict__ bias,
                                             int rows, int N, int K, void* out, const long long* __restrict__ slots, half_t* kv,
                                             int slotCount, int headDim) {
    constexpr int R = 8 * NT, F = 64, M = 64;
    extern __shared__ __align__(16) unsigned char dynamicShared[];
    unsigned char* ring = dynamicShared;                         // [WG_STAGES][X tile, W tile]
    float* partial = (float*)dynamicShared;                      // [F][M + 1] after the main loop
    float* inbox = (float*)(dynamicShared + WG_STAGES * 2 * WG_TILE_BYTES);
    const int split = cluster_rank(), splits = cluster_size();
    const int stagesAll = K / WG_KS;
    const int first = split * stagesAll / splits, last = (split + 1) * stagesAll / splits;  // this block's stages
    const int count = last - first;
    const int share = (((F * M + splits - 1) / splits + 3) / 4) * 4;
    const int n0 = blockIdx.x * F;

    // A tile is 64 rows x 8 16-byte chunks, 512 copies, 4 per thread: copy j of thread i is row
    // 8 * (i / 64 + 2j) + i % 8, chunk 4 * (i / 32 % 2) + i / 8 % 4. So each 32 consecutive copies take 8 rows x 4 chunks
    // (64 contiguous bytes of each row: whole L2 sectors) and each 8 of them one chunk of 8 rows, 128 contiguous bytes
    // of a core matrix (no shared-memory bank conflicts). Sources and destinations are worked out once; a stage only
    // adds its k offset and ring slot.
    const int ch = ((threadIdx.x >> 5) & 1) * 4 + ((threadIdx.x >> 3) & 3);
    const half_t* wSource[4];
    const half_t* xSource[4];
    int target[4];
    bool xValid[4];
#pragma unroll
    for (int j = 0; j < 4; j++) {
        const int r = 8 * ((threadIdx.x >> 6) + 2 * j) + (threadIdx.x & 7);
        target[j] = wg_offset(r, ch);
        wSource[j] = W + (size_t)min(n0 + r, N - 1) * K + 8 * ch + first * WG_KS;
        xSource[j] = X + (size_t)min(r, R - 1) * K + 8 * ch + first * WG_KS;
        xValid[j] = r < R;
    }
    auto copyW = [&](int st) {
        unsigned char* tile = ring + (st % WG_STAGES) * 2 * WG_TILE_BYTES + WG_TILE_BYTES;
#pragma unroll
        for (int j = 0; j < 4; j++) copy_async16(tile + target[j], wSource[j] + st * WG_KS);
    };
    auto copyX = [&](int st) {
        unsigned char* tile = ring + (st % WG_STAGES) * 2 * WG_TILE_BYTES;
#pragma unroll
        for (int j = 0; j < 4; j++) copy_async16_or_zero(tile + target[j], xSource[j] + st * WG_KS, xValid[j]);
    };
    for (int st = 0; st < WG_STAGES - 1; st++) if (st < count) copyW(st);  // weights stream in before the wait
    wait_for_previous_kernel();
    for (int st = 0; st < WG_STAGES - 1; st++) {
        if (st < count) copyX(st);
        commit_copies();
    }

    float d[32];
#pragma unroll
    for (int i = 0; i < 32; i++) d[i] = 0.f;
    for (int st = 0; st < count; st++) {
        wait_copies<WG_STAGES - 2>();
        __syncthreads();
        asm volatile("fence.proxy.async.shared::cta;" ::: "memory");  // cp.async wrote through the generic proxy
        const int refill = st + WG_STAGES - 1;  // into the slot stage st - 1 used; its wgmma finished last iteration
        if (refill < count) { copyW(refill); copyX(refill); }
        commit_copies();
        unsigned char* slot = ring + (st % WG_STAGES) * 2 * WG_TILE_BYTES;
        asm volatile("wgmma.fence.sync.aligned;" ::: "memory");
#pragma unroll
        for (int kk = 0; kk < WG_KS / 16; kk++) {  // k16 step kk: core-matrix columns 2kk, 2kk + 1
            wgmma_64x64x16(d, wg_descriptor(slot + kk * 2 * 128), wg_descriptor(slot + WG_TILE_BYTES + kk * 2 * 128));
        }
        asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
        asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");
    }

    allow_next_kernel();
    wait_copies<0>();
    __syncthreads();  // the ring's memory now holds the partial sums
    store_accumulators(d, partial);
    __syncthreads();
    cluster_reduce_store<F, M, 1, EPI>(partial, inbox, share, split, splits, rows, n0, N, out, bias, slots, kv, slotCount, headDim);
}

// The same with both operands packed beforehand into the tile layout (FusedForward would pack the weights once at
// load; the producing kernel would write the input rows so): tile (64 rows, 64 k) is 8 KB contiguous, so a stage is
// two bulk copies (cp.async.bulk, completing on a shared-memory barrier with a byte count) issued by one thread,
// instead of 1,024 16-byte copies from 128. Xp = [K/64][tile] (rows past the batch zero), Wp = [N/64][K/64][tile]
// (N padded to 64 with zero rows).
__device__ __forceinline__ void bulk_copy(void* shared, const void* global, int bytes, unsigned long long* bar) {
    asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];"
                 ::"r"(shared_address(shared)), "l"(global), "r"(bytes), "r"(shared_address(bar)) : "memory");
}

__device__ __forceinline__ void expect_bytes(unsigned long long* bar, int bytes) {
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(shared_address(bar)), "r"(bytes) : "memory");
}

__device__ __forceinline__ void wait_phase(unsigned long long* bar, int phase) {
    asm volatile(
        "{\n"
        ".reg .pred done;\n"
        "WAIT:\n"
        "mbarrier.try_wait.parity.shared::cta.b64 done, [%0], %1;\n"
        "@!done bra WAIT;\n"
        "}\n" ::"r"(shared_address(bar)), "r"(phase)
        : "memory");
}

template <int EPI>
__device__ __forceinline__ void linear_wgmma_packed(const half_t* __restrict__ Xp, const half_t* __restrict__ Wp,
                                                    const half_t* __restrict__ bias, int rows, int N, int K, void* out,
                                                    const long long* __restrict__ slots, half_t* kv, int slotCount, int headDim) {
    constexpr int F = 64, M = 64;
    extern __shared__ __align__(16) unsigned char dynamicShared[];
    __shared__ __align__(8) unsigned long long full[WG_STAGES];
    unsigned char* ring = dynamicShared;
    float* partial = (float*)dynamicShared;
    float* inbox = (float*)(dynamicShared + WG_STAGES * 2 * WG_TILE_BYTES);
    const int split = cluster_rank(), splits = cluster_size();
    const int kTiles = K / WG_KS;
    const int first = split * kTiles / splits, last = (split + 1) * kTiles / splits, count = last - first;
    const int share = (((F * M + splits - 1) / splits + 3) / 4) * 4;
    const int n0 = blockIdx.x * F;
    const unsigned char* wTiles = (const unsigned char*)Wp + ((size_t)blockIdx.x * kTiles + first) * WG_TILE_BYTES;
    const unsigned char* xTiles = (const unsigned char*)Xp + (size_t)first * WG_TILE_BYTES;
    const int ahead = min(WG_STAGES, count);

    if (threadIdx.x == 0) {
        for (int s = 0; s < WG_STAGES; s++) asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(shared_address(&full[s])) : "memory");
        asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
        for (int st = 0; st < ahead; st++) {  // weights stream in before the wait
            expect_bytes(&full[st], 2 * WG_TILE_BYTES);
            bulk_copy(ring + st * 2 * WG_TILE_BYTES + WG_TILE_BYTES, wTiles + (size_t)st * WG_TILE_BYTES, WG_TILE_BYTES, &full[st]);
        }
    }
    wait_for_previous_kernel();
    if (threadIdx.x == 0) {
        for (int st = 0; st < ahead; st++)
            bulk_copy(ring + st * 2 * WG_TILE_BYTES, xTiles + (size_t)st * WG_TILE_BYTES, WG_TILE_BYTES, &full[st]);
    }
    __syncthreads();  // the barriers are initialized before anyone waits on them

    float d[32];
#pragma unroll
    for (int i = 0; i < 32; i++) d[i] = 0.f;
    for (int st = 0; st < count; st++) {
        const int slot = st % WG_STAGES;
        wait_phase(&full[slot], (st / WG_STAGES) & 1);
        unsigned char* base = ring + slot * 2 * WG_TILE_BYTES;
        asm volatile("wgmma.fence.sync.aligned;" ::: "memory");
#pragma unroll
        for (int kk = 0; kk < WG_KS / 16; kk++)
            wgmma_64x64x16(d, wg_descriptor(base + kk * 2 * 128), wg_descriptor(base + WG_TILE_BYTES + kk * 2 * 128));
        asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
        asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");
        __syncthreads();  // every warp is done with the slot
        const int refill = st + WG_STAGES;
        if (threadIdx.x == 0 && refill < count) {
            expect_bytes(&full[slot], 2 * WG_TILE_BYTES);
            bulk_copy(base + WG_TILE_BYTES, wTiles + (size_t)refill * WG_TILE_BYTES, WG_TILE_BYTES, &full[slot]);
            bulk_copy(base, xTiles + (size_t)refill * WG_TILE_BYTES, WG_TILE_BYTES, &full[slot]);
        }
    }

    allow_next_kernel();
    __syncthreads();
    store_accumulators(d, partial);
    __syncthreads();
    cluster_reduce_store<F, M, 1, EPI>(partial, inbox, share, split, splits, rows, n0, N, out, bias, slots, kv, slotCount, headDim);
}
#else
template <int NT, int EPI>
__device__ __forceinline__ void linear_wgmma(const half_t*, const half_t*, const half_t*, int, int, int, void*, const long long*,
                                             half_t*, int, int) {
    asm("trap;");
}
template <int EPI>
__device__ __forceinline__ void linear_wgmma_packed(const half_t*, const half_t*, const half_t*, int, int, int, void*,
                                                    const long long*, half_t*, int, int) {
    asm("trap;");
}
#endif

#define WGMMA_ENTRY(NAME, NT, EPI)                                                                                     \
    extern "C" __global__ void __launch_bounds__(128) NAME##_##NT(const half_t* X, const half_t* W, const half_t* bias,  \
        int rows, int N, int K, void* out, const long long* slots, half_t* kv, int slotCount, int headDim) {            \
        linear_wgmma<NT, EPI>(X, W, bias, rows, N, K, out, slots, kv, slotCount, headDim);                             \
    }
#define WGMMA_ENTRIES(NAME, EPI) WGMMA_ENTRY(NAME, 2, EPI) WGMMA_ENTRY(NAME, 4, EPI) WGMMA_ENTRY(NAME, 8, EPI)
WGMMA_ENTRIES(linear_wgmma_gelu, EPI_GELU)
WGMMA_ENTRIES(linear_wgmma_residual, EPI_RESIDUAL)
WGMMA_ENTRIES(linear_wgmma_qkv, EPI_QKV)
WGMMA_ENTRIES(linear_wgmma_logits, EPI_LOGITS)

#define WGMMA_PACKED_ENTRY(NAME, EPI)                                                                                  \
    extern "C" __global__ void __launch_bounds__(128) NAME(const half_t* Xp, const half_t* Wp, const half_t* bias,      \
        int rows, int N, int K, void* out, const long long* slots, half_t* kv, int slotCount, int headDim) {            \
        linear_wgmma_packed<EPI>(Xp, Wp, bias, rows, N, K, out, slots, kv, slotCount, headDim);                        \
    }
WGMMA_PACKED_ENTRY(linear_wgmma_packed_gelu, EPI_GELU)
WGMMA_PACKED_ENTRY(linear_wgmma_packed_residual, EPI_RESIDUAL)
WGMMA_PACKED_ENTRY(linear_wgmma_packed_qkv, EPI_QKV)
WGMMA_PACKED_ENTRY(linear_wgmma_packed_logits, EPI_LOGITS)
