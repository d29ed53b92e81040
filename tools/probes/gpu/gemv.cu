#include <cuda_fp16.h>
// y[row] = act(W[row,:] . ln(x) + bias[row]) + residual[row], one warp per row, fp32 accumulation.
// W: [out, in] fp16 row-major, in % 8 == 0, 16-byte aligned rows. ln(x) optional (lnw != nullptr), rounded to half
// like an fp16 layer_norm output. Output fp16 (y16) or fp32 (y32).
__device__ __forceinline__ float gelu_tanh(float v) {
    const float k = 0.7978845608028654f;
    return 0.5f * v * (1.f + tanhf(k * (v + 0.044715f * v * v * v)));
}
__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
    return v;
}
extern "C" __global__ void __launch_bounds__(256) ssd_gemv(
        const half* __restrict__ W, const half* __restrict__ x, const half* __restrict__ bias,
        const half* __restrict__ lnw, const half* __restrict__ lnb, float eps,
        const half* __restrict__ residual, half* __restrict__ y16, float* __restrict__ y32,
        int out, int in, int gelu) {
    extern __shared__ float xs[];
    __shared__ float red[2][8];
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, warps = blockDim.x >> 5;
    float s = 0.f, ss = 0.f;
    for (int i = tid; i < in; i += blockDim.x) { float v = __half2float(x[i]); xs[i] = v; s += v; ss += v * v; }
    if (lnw != nullptr) {
        s = warp_sum(s); ss = warp_sum(ss);
        if (lane == 0) { red[0][warp] = s; red[1][warp] = ss; }
        __syncthreads();
        float ts = 0.f, tss = 0.f;
        for (int w = 0; w < warps; w++) { ts += red[0][w]; tss += red[1][w]; }
        float mean = ts / in, var = fmaxf(tss / in - mean * mean, 0.f), rstd = rsqrtf(var + eps);
        for (int i = tid; i < in; i += blockDim.x) {
            float v = (xs[i] - mean) * rstd * __half2float(lnw[i]) + __half2float(lnb[i]);
            xs[i] = __half2float(__float2half(v));
        }
    }
    __syncthreads();
    const int chunks = in >> 3;
    for (int row = blockIdx.x * warps + warp; row < out; row += gridDim.x * warps) {
        const uint4* wr = reinterpret_cast<const uint4*>(W + (size_t) row * in);
        float acc = 0.f;
        #pragma unroll 4
        for (int j = lane; j < chunks; j += 32) {
            uint4 p = __ldg(wr + j);
            const half2* h = reinterpret_cast<const half2*>(&p);
            const float* xv = xs + j * 8;
            #pragma unroll
            for (int k = 0; k < 4; k++) { float2 f = __half22float2(h[k]); acc += f.x * xv[2 * k] + f.y * xv[2 * k + 1]; }
        }
        acc = warp_sum(acc);
        if (lane == 0) {
            float v = acc + (bias != nullptr ? __half2float(bias[row]) : 0.f);
            if (gelu) v = gelu_tanh(v);
            if (residual != nullptr) v = __half2float(__float2half(v)) + __half2float(residual[row]);
            if (y32 != nullptr) y32[row] = v; else y16[row] = __float2half(v);
        }
    }
}
