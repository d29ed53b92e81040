package ssd.decoder.torch;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import ssd.common.Dtype;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small conversions between Java data and libtorch tensors, kept in one place. */
public final class Torch {
    private Torch() {
    }

    public static torch.ScalarType scalarType(Dtype dtype) {
        switch (dtype) {
            case FP32: return torch.ScalarType.Float;
            case FP16: return torch.ScalarType.Half;
            default: return torch.ScalarType.BFloat16;
        }
    }

    public static Dtype dtypeOf(Tensor t) {
        torch.ScalarType s = t.scalar_type().intern(); // JavaCPP returns a fresh enum value; intern() maps it to the constant
        if (s == torch.ScalarType.Float) return Dtype.FP32;
        if (s == torch.ScalarType.Half) return Dtype.FP16;
        if (s == torch.ScalarType.BFloat16) return Dtype.BF16;
        throw new IllegalArgumentException("tensor dtype " + s + " has no checkpoint equivalent");
    }

    /** Parses "cpu", "cuda" or "cuda:N", refusing CUDA when libtorch sees no GPU. */
    public static Device device(String spec) {
        if (spec.equals("cpu")) return new Device("cpu");
        if (spec.equals("cuda") || spec.matches("cuda:\\d+")) {
            if (!torch.cuda_is_available()) {
                throw new IllegalArgumentException("--device " + spec + ": libtorch sees no CUDA device (CPU natives, or no GPU); see README, 'GPU'");
            }
            return new Device(spec.equals("cuda") ? "cuda:0" : spec);
        }
        throw new IllegalArgumentException("unknown device '" + spec + "': expected cpu, cuda or cuda:N");
    }

    /** Copies little-endian bytes into a new CPU tensor that owns its memory. */
    public static Tensor fromBytes(ByteBuffer data, Dtype dtype, long[] shape) {
        ByteBuffer direct = data;
        if (!data.isDirect()) {
            direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            direct.put(data.duplicate()).flip();
        }
        try (BytePointer p = new BytePointer(direct);
             TensorOptions opts = new TensorOptions(scalarType(dtype));
             Tensor view = torch.from_blob(p, shape, opts)) {
            return view.clone();
        }
    }

    /** The tensor's elements as little-endian bytes (copied to the CPU, made contiguous). */
    public static ByteBuffer toBytes(Tensor t) {
        try (PointerScope scope = new PointerScope()) {
            Tensor cpu = t.to(new Device("cpu"), t.scalar_type()).contiguous();
            long n = cpu.nbytes();
            ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(n)).order(ByteOrder.LITTLE_ENDIAN);
            try (BytePointer src = new BytePointer(cpu.data_ptr()).capacity(n)) {
                out.put(src.asByteBuffer());
            }
            return out.flip();
        }
    }

    /** A zero tensor of {@code shape} on {@code device}, contiguous, owning its memory. */
    public static Tensor zeros(long[] shape, Device device, torch.ScalarType dtype) {
        try (Tensor z = torch.zeros(shape)) {
            return z.to(device, dtype).contiguous();
        }
    }

    public static Tensor longs(long[] values, Device device) {
        try (LongPointer p = new LongPointer(values);
             TensorOptions opts = new TensorOptions(torch.ScalarType.Long);
             Tensor cpu = torch.from_blob(p, new long[]{values.length}, opts)) {
            return cpu.to(device, torch.ScalarType.Long, false, true, new org.bytedeco.pytorch.MemoryFormatOptional());
        }
    }

    /** A CPU float32 tensor of {@code shape} holding a copy of {@code values}. */
    public static Tensor floats(float[] values, long[] shape) {
        try (FloatPointer p = new FloatPointer(values);
             TensorOptions opts = new TensorOptions(torch.ScalarType.Float);
             Tensor view = torch.from_blob(p, shape, opts)) {
            return view.clone();
        }
    }

    public static Tensor bools(byte[] values, long[] shape, Device device) {
        try (BytePointer p = new BytePointer(values);
             TensorOptions opts = new TensorOptions(torch.ScalarType.Bool);
             Tensor cpu = torch.from_blob(p, shape, opts)) {
            return cpu.to(device, torch.ScalarType.Bool, false, true, new org.bytedeco.pytorch.MemoryFormatOptional());
        }
    }

    /**
     * All elements as float (converted on the device, then copied). In a scope of its own: {@code to} and
     * {@code contiguous} each return a handle (on the CPU often to {@code t}'s own storage), and a handle left to
     * the garbage collector keeps that storage alive until a collection, which made RSS climb between GCs.
     */
    public static float[] toFloats(Tensor t) {
        try (PointerScope scope = new PointerScope()) {
            Tensor cpu = t.to(new Device("cpu"), torch.ScalarType.Float).contiguous();
            float[] out = new float[Math.toIntExact(cpu.numel())];
            try (FloatPointer p = new FloatPointer(cpu.data_ptr_float())) {
                p.get(out);
            }
            return out;
        }
    }

    /** All elements as long; scoped like {@link #toFloats}. */
    public static long[] toLongs(Tensor t) {
        try (PointerScope scope = new PointerScope()) {
            Tensor cpu = t.to(new Device("cpu"), torch.ScalarType.Long).contiguous();
            long[] out = new long[Math.toIntExact(cpu.numel())];
            try (LongPointer p = new LongPointer(cpu.data_ptr_long())) {
                p.get(out);
            }
            return out;
        }
    }
}
