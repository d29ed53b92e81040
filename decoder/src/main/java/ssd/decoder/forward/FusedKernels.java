package ssd.decoder.forward;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUlaunchAttribute;
import org.bytedeco.cuda.cudart.CUlaunchConfig;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.pytorch.Tensor;
import ssd.decoder.torch.CudaChecks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernels of {@code gpt2_fused.cu}, compiled once per device and process with NVRTC for that device's
 * architecture and loaded with the CUDA driver API. Only {@link FusedForward} uses them; like
 * {@link CudaGraphForward} this class is the only place that touches NVRTC, so CPU runs never load it.
 */
final class FusedKernels {
    static final String SOURCE = "gpt2_fused.cu";
    /** mma.sync with fp16 inputs and fp32 accumulation needs Ampere (sm_80) or newer. */
    static final int MIN_COMPUTE_CAPABILITY = 80;

    /** Programmatic dependent launch needs Hopper (sm_90); {@code --fused-pdl false} turns it off to measure it. */
    static final int MIN_PDL_COMPUTE_CAPABILITY = 90;

    /** Thread-block clusters (the tree-batch linears that split K over a cluster) need Hopper (sm_90) too. */
    static final int MIN_CLUSTER_COMPUTE_CAPABILITY = 90;

    /** Compiled modules by device and PDL choice (compiling takes about a second; the module is kept for the process). */
    private static final Map<String, FusedKernels> LOADED = new HashMap<>();

    private final CUmod_st module;
    private final boolean programmaticLaunch;
    private final boolean clusters;
    private final int multiprocessors;
    private final int maxSharedBytes;
    private final Map<String, CUfunc_st> functions = new HashMap<>();

    private FusedKernels(CUmod_st module, boolean programmaticLaunch, boolean clusters, int multiprocessors, int maxSharedBytes) {
        this.module = module;
        this.programmaticLaunch = programmaticLaunch;
        this.clusters = clusters;
        this.multiprocessors = multiprocessors;
        this.maxSharedBytes = maxSharedBytes;
    }

    /** The kernels for {@code device}, compiled on first use (about a second) and kept for the process. */
    static synchronized FusedKernels forDevice(int device, boolean programmaticLaunch) {
        return LOADED.computeIfAbsent(device + (programmaticLaunch ? " pdl" : ""), k -> load(device, programmaticLaunch));
    }

    /** The device's compute capability as major * 10 + minor (90 for an H100 or H200). */
    static int computeCapability(int device) {
        int[] major = new int[1], minor = new int[1];
        check("cudaDeviceGetAttribute", cudart.cudaDeviceGetAttribute(major, cudart.cudaDevAttrComputeCapabilityMajor, device));
        check("cudaDeviceGetAttribute", cudart.cudaDeviceGetAttribute(minor, cudart.cudaDevAttrComputeCapabilityMinor, device));
        return major[0] * 10 + minor[0];
    }

    private static FusedKernels load(int device, boolean programmaticLaunch) {
        int cc = computeCapability(device);
        if (cc < MIN_COMPUTE_CAPABILITY) {
            throw new IllegalStateException("fused kernels need compute capability 8.0 or newer; cuda:" + device + " has "
                    + cc / 10 + "." + cc % 10 + " (pass --kernels aten)");
        }
        byte[] cubin = compile(source(), "sm_" + cc);
        try (PointerScope scope = new PointerScope()) {
            // The driver API needs the device's primary context current on this thread; the runtime binds it.
            check("cudaSetDevice", cudart.cudaSetDevice(device));
            check("cudaFree", cudart.cudaFree(null));
            CUmod_st module = new CUmod_st();
            BytePointer image = new BytePointer(cubin);
            checkDriver("cuModuleLoadData", cudart.cuModuleLoadData(module, image));
            module.retainReference();
            boolean pdl = cc >= MIN_PDL_COMPUTE_CAPABILITY && programmaticLaunch;
            int[] sms = new int[1], shared = new int[1];
            check("cudaDeviceGetAttribute", cudart.cudaDeviceGetAttribute(sms, cudart.cudaDevAttrMultiProcessorCount, device));
            check("cudaDeviceGetAttribute", cudart.cudaDeviceGetAttribute(shared, cudart.cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
            return new FusedKernels(module, pdl, cc >= MIN_CLUSTER_COMPUTE_CAPABILITY, sms[0], shared[0]);
        }
    }

    static String source() {
        try (InputStream in = FusedKernels.class.getResourceAsStream(SOURCE)) {
            if (in == null) throw new IllegalStateException("kernel source " + SOURCE + " is missing from the decoder jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read kernel source " + SOURCE + ": " + e.getMessage(), e);
        }
    }

    /** NVRTC source -> cubin for {@code arch}; a compile error carries NVRTC's log. */
    private static byte[] compile(String source, String arch) {
        try (PointerScope scope = new PointerScope()) {
            _nvrtcProgram program = new _nvrtcProgram();
            checkNvrtc("nvrtcCreateProgram", nvrtc.nvrtcCreateProgram(program, new BytePointer(source), new BytePointer(SOURCE), 0,
                    (PointerPointer) null, (PointerPointer) null));
            try {
                String[] options = {"--gpu-architecture=" + arch, "--std=c++17"};
                int rc = nvrtc.nvrtcCompileProgram(program, options.length, new PointerPointer(options));
                if (rc != nvrtc.NVRTC_SUCCESS) {
                    throw new IllegalStateException("NVRTC could not compile " + SOURCE + " for " + arch + ": "
                            + nvrtc.nvrtcGetErrorString(rc).getString() + "\n" + log(program));
                }
                SizeTPointer size = new SizeTPointer(1);
                checkNvrtc("nvrtcGetCUBINSize", nvrtc.nvrtcGetCUBINSize(program, size));
                byte[] cubin = new byte[(int) size.get()];
                checkNvrtc("nvrtcGetCUBIN", nvrtc.nvrtcGetCUBIN(program, cubin));
                return cubin;
            } finally {
                nvrtc.nvrtcDestroyProgram(program);
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IllegalStateException("fused kernels need NVRTC (libnvrtc from the CUDA toolkit or PyTorch's nvidia "
                    + "packages on the library path); it could not be loaded: " + e.getMessage() + " (pass --kernels aten)", e);
        }
    }

    private static String log(_nvrtcProgram program) {
        SizeTPointer size = new SizeTPointer(1);
        if (nvrtc.nvrtcGetProgramLogSize(program, size) != nvrtc.NVRTC_SUCCESS) return "(no log)";
        byte[] text = new byte[(int) size.get()];
        nvrtc.nvrtcGetProgramLog(program, text);
        return new String(text, StandardCharsets.UTF_8).trim();
    }

    CUfunc_st function(String name) {
        synchronized (functions) {
            CUfunc_st f = functions.get(name);
            if (f == null) {
                f = new CUfunc_st();
                checkDriver("cuModuleGetFunction(" + name + ")", cudart.cuModuleGetFunction(f, module, name));
                f.retainReference();
                functions.put(name, f);
            }
            return f;
        }
    }

    /** The dynamic shared memory each kernel has been allowed so far. */
    private final Map<String, Integer> sharedLimits = new HashMap<>();

    /**
     * Opts {@code f} into {@code bytes} of dynamic shared memory. Always done rather than only above 48 KiB: the
     * default limit is 48 KiB minus the kernel's static shared memory.
     */
    private void allowSharedMemory(String name, CUfunc_st f, int bytes) {
        synchronized (sharedLimits) {
            if (bytes <= sharedLimits.getOrDefault(name, 0)) return;
            checkDriver("cuFuncSetAttribute(" + name + ")",
                    cudart.cuFuncSetAttribute(f, cudart.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes));
            sharedLimits.put(name, bytes);
        }
    }

    /** Streaming multiprocessors of the device (how many blocks fit in one wave). */
    int multiprocessors() {
        return multiprocessors;
    }

    /** Whether the device runs thread-block clusters (and so the kernels that use them). */
    boolean clusters() {
        return clusters;
    }

    /** The most dynamic shared memory one block may opt into. */
    int maxSharedBytes() {
        return maxSharedBytes;
    }

    /**
     * One kernel launch with its arguments fixed: device pointers are read from tensors once, so a launch costs one
     * driver call (and nothing at all inside a replayed graph). With programmatic launch, the kernel may start while
     * the previous one on the stream finishes (captured into graphs as programmatic edges). Holds native memory until
     * closed.
     */
    static final class Launch implements ForwardStep {
        private final String name;
        private final CUfunc_st function;
        private final int gridX, gridY, block, sharedBytes;
        private final List<Pointer> values;
        private final PointerPointer params;
        private final CUlaunchAttribute attributes;
        private final CUlaunchConfig config;

        /** {@code clusterY} > 1 groups each column of the grid into clusters of that many blocks. */
        private Launch(String name, CUfunc_st function, int gridX, int gridY, int clusterY, int block, int sharedBytes,
                       List<Pointer> values, boolean programmatic) {
            this.name = name;
            this.function = function;
            this.gridX = gridX;
            this.gridY = gridY;
            this.block = block;
            this.sharedBytes = sharedBytes;
            this.values = values;
            PointerPointer p = new PointerPointer(values.size());
            for (int i = 0; i < values.size(); i++) p.put(i, values.get(i));
            p.retainReference();
            this.params = p;
            int count = (programmatic ? 1 : 0) + (clusterY > 1 ? 1 : 0);
            if (count > 0) {
                attributes = new CUlaunchAttribute(count);
                int i = 0;
                if (programmatic) {
                    CUlaunchAttribute a = attributes.getPointer(i++);
                    a.id(cudart.CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION);
                    a.value().programmaticStreamSerializationAllowed(1);
                }
                if (clusterY > 1) {
                    CUlaunchAttribute a = attributes.getPointer(i);
                    a.id(cudart.CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION);
                    a.value().clusterDim_x(1).clusterDim_y(clusterY).clusterDim_z(1);
                }
                attributes.retainReference();
                config = new CUlaunchConfig();
                config.gridDimX(gridX).gridDimY(gridY).gridDimZ(1).blockDimX(block).blockDimY(1).blockDimZ(1)
                        .sharedMemBytes(sharedBytes).attrs(attributes).numAttrs(count);
                config.retainReference();
            } else {
                attributes = null;
                config = null;
            }
        }

        @Override
        public void run(CUstream_st stream) {
            if (config == null) {
                checkDriver("cuLaunchKernel(" + name + ")",
                        cudart.cuLaunchKernel(function, gridX, gridY, 1, block, 1, 1, sharedBytes, stream, params, (PointerPointer) null));
            } else {
                config.hStream(stream);
                checkDriver("cuLaunchKernelEx(" + name + ")", cudart.cuLaunchKernelEx(config, function, params, (PointerPointer) null));
            }
        }

        @Override
        public void close() {
            params.releaseReference();
            for (Pointer p : values) p.releaseReference();
            if (config != null) {
                config.releaseReference();
                attributes.releaseReference();
            }
        }
    }

    /** Builds a {@link Launch}: arguments in the order of the kernel's parameters. */
    final class LaunchBuilder {
        private final String name;
        private final int gridX, gridY, block;
        private int sharedBytes, clusterY = 1;
        private final List<Pointer> values = new ArrayList<>();

        LaunchBuilder(String name, int gridX, int gridY, int block) {
            this.name = name;
            this.gridX = gridX;
            this.gridY = gridY;
            this.block = block;
        }

        /** Dynamic shared memory of the launch (opted into per kernel as needed). */
        LaunchBuilder sharedMemory(int bytes) {
            this.sharedBytes = bytes;
            return this;
        }

        /** Clusters of {@code blocks} blocks along the grid's y axis (sm_90+). */
        LaunchBuilder clusterY(int blocks) {
            if (blocks > 1 && !clusters) throw new IllegalStateException(name + ": thread-block clusters need compute capability 9.0");
            this.clusterY = blocks;
            return this;
        }

        /** A tensor's device address (null passes a null pointer). */
        LaunchBuilder tensor(Tensor t) {
            return address(t == null ? 0L : t.data_ptr().address());
        }

        LaunchBuilder address(long address) {
            return keep(new LongPointer(1).put(address));
        }

        LaunchBuilder i32(int v) {
            return keep(new IntPointer(1).put(v));
        }

        LaunchBuilder f32(float v) {
            return keep(new FloatPointer(1).put(v));
        }

        private LaunchBuilder keep(Pointer p) {
            p.retainReference(); // outlives the caller's scope: the launch is replayed for the storage's life
            values.add(p);
            return this;
        }

        Launch build() {
            CUfunc_st f = function(name);
            allowSharedMemory(name, f, sharedBytes);
            return new Launch(name, f, gridX, gridY, clusterY, block, sharedBytes, values, programmaticLaunch);
        }
    }

    LaunchBuilder launch(String name, int gridX, int gridY, int block) {
        return new LaunchBuilder(name, gridX, gridY, block);
    }

    static void check(String call, int rc) {
        CudaChecks.check(call, rc);
    }

    static void checkDriver(String call, int rc) {
        if (rc != cudart.CUDA_SUCCESS) {
            String text = "";
            try (PointerPointer<BytePointer> name = new PointerPointer<>(1)) {
                if (cudart.cuGetErrorString(rc, name) == cudart.CUDA_SUCCESS && !name.get(0).isNull()) {
                    text = " (" + name.get(BytePointer.class, 0).getString() + ")";
                }
            }
            throw new IllegalStateException(call + " failed: CUresult " + rc + text);
        }
    }

    private static void checkNvrtc(String call, int rc) {
        if (rc != nvrtc.NVRTC_SUCCESS) throw new IllegalStateException(call + " failed: " + nvrtc.nvrtcGetErrorString(rc).getString());
    }
}
