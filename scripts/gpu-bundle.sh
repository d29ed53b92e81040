#!/usr/bin/env bash
# Builds a self-contained bundle for a CUDA host that has Python PyTorch but no Java, Maven or network
# (see ../shared/docs/gpu-host.md): a jlinked Java runtime, the project's jars, and slim jars holding only the
# JavaCPP JNI libraries. libtorch and CUDA themselves come from the host's PyTorch at run time (scripts/gpu-run.sh).
# Output: build/gpu-bundle/ and build/gpu-bundle.tar.xz (xz keeps it well under a 64 MiB transfer).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=build/gpu-bundle
dl=build/gpu-natives
pytorch_version=2.10.0-1.5.13
openblas_version=0.3.31-1.5.13
cuda_version=13.1-9.19-1.5.13

[ "${SKIP_BUILD:-0}" = 1 ] || mvn -q -B install -DskipTests
mvn -q -B -pl harness dependency:build-classpath -Dmdep.outputFile="$root/build/runtime-classpath.txt" -DincludeScope=runtime
for spec in "pytorch:$pytorch_version:jar:linux-x86_64-gpu" "openblas:$openblas_version:jar:linux-x86_64" \
            "cuda:$cuda_version:jar:linux-x86_64" "cuda:$cuda_version:jar"; do
  mvn -q -B dependency:copy -Dartifact="org.bytedeco:$spec" -DoutputDirectory="$root/$dl" -Dmdep.overWriteIfNewer=true
done

rm -rf "$out" && mkdir -p "$out/lib" "$out/bin"
# Java jars: the harness's runtime class path without the CPU native jars and without what only the figure and
# table commands use (XChart, Tablesaw and their dependencies): those run on the CPU machine, not the GPU host.
tr ':' '\n' < build/runtime-classpath.txt | while read -r jar; do
  case "$(basename "$jar")" in
    *-linux-x86_64.jar|tablesaw-*|icu4j-*|fastutil-8*|pdfbox-*|fontbox-*|xchart-*|commons-math3-*|RoaringBitmap-*|\
    univocity-*|VectorGraphics2D-*|jsoup-*|graphics2d-*|pdfbox-graphics2d-*|commons-logging-*|shims-*|classgraph-*|commons-text-*|\
    commons-lang3-*|zero-allocation-hashing-*|guava-*|failureaccess-*|listenablefuture-*|checker-qual-*|error_prone_*|j2objc-*) ;;
    *) cp "$jar" "$out/lib/" ;;
  esac
done
# The harness's own classes (not the shaded jar: that one carries the CPU natives).
jar cf "$out/lib/ssd-harness.jar" -C harness/target/classes .
cp "$dl/cuda-$cuda_version.jar" "$out/lib/"

# Slim native jars: only the JNI libraries; libtorch and CUDA are the host's.
python3 - "$dl" "$out/lib" "$pytorch_version" "$openblas_version" "$cuda_version" <<'PY'
import sys, zipfile
dl, lib, pv, ov, cv = sys.argv[1:]
keep = {
    f"{dl}/pytorch-{pv}-linux-x86_64-gpu.jar": ("pytorch-gpu-jni.jar", ["libjnitorch.so", "libjnitorch_cuda.so"]),
    f"{dl}/openblas-{ov}-linux-x86_64.jar": ("openblas-jni.jar", ["libjniopenblas.so", "libjniopenblas_nolapack.so",
        "libopenblas.so.0", "libgfortran.so.5", "libquadmath.so.0", "libgcc_s.so.1"]),
    # cudart for CUDA graphs, and the presets it inherits (cublas, cusparse, ...); not the large NPP wrappers.
    f"{dl}/cuda-{cv}-linux-x86_64.jar": ("cuda-jni.jar", None),
}
for src, (name, libs) in keep.items():
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(f"{lib}/{name}", "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            base = info.filename.rsplit("/", 1)[-1]
            wanted = (base.startswith("libjni") and not base.startswith("libjninpp")) if libs is None else base in libs
            if wanted or info.filename.startswith("META-INF/MANIFEST"):
                data = zin.read(info.filename)
                stored = zipfile.ZipInfo(info.filename, info.date_time)
                stored.external_attr = info.external_attr
                zout.writestr(stored, data, zipfile.ZIP_STORED)  # xz compresses the whole bundle far better
PY

# A Java 17 runtime with just the modules the command line uses (uncompressed: xz packs it far smaller).
jlink --add-modules java.base,java.logging,java.xml,java.management,java.naming,jdk.unsupported,jdk.zipfs \
      --strip-debug --no-header-files --no-man-pages --output "$out/jre"
cp scripts/gpu-run.sh "$out/bin/ssd-gpu"
cp scripts/gpu-run.sh "$out/bin/ssd-gpu-test"
chmod +x "$out/bin/ssd-gpu" "$out/bin/ssd-gpu-test"

# The GPU-tagged tests, run without Maven on the host (bin/ssd-gpu-test): the JUnit console launcher, the test
# classes and assertj (its byte-buddy is left out: plain assertions do not load it).
mvn_eval() { mvn -q -B help:evaluate -Dexpression="$1" -DforceStdout | sed 's/\x1b\[[0-9;]*m//g'; }
m2=$(mvn_eval settings.localRepository)
junit_version=$(mvn_eval junit.version)
junit_console=1.${junit_version#5.}  # JUnit 5.x.y ships platform 1.x.y
mvn -q -B dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:$junit_console
mkdir -p "$out/tests"
cp "$m2/org/junit/platform/junit-platform-console-standalone/$junit_console/junit-platform-console-standalone-$junit_console.jar" "$out/tests/"
mvn -q -B -pl decoder dependency:build-classpath -Dmdep.outputFile="$root/build/test-classpath.txt" -DincludeScope=test
tr ':' '\n' < build/test-classpath.txt | grep -E '/assertj-core-[^/]*\.jar$' | xargs -I{} cp {} "$out/tests/"
# Without the CPU-only parser fuzz tests and their helpers: they need jqwik, which the bundle does not carry.
for module in decoder; do
  classes=$(mktemp -d)
  cp -r "$module/target/test-classes/." "$classes"
  find "$classes" -name '*FuzzTest*.class' -delete
  rm -rf "$classes/ssd/testing"
  jar cf "$out/tests/$module-tests.jar" -C "$classes" .
  rm -rf "$classes"
done
# The bundle leaves out XChart and Tablesaw: check the command line still starts without them.
"$out/jre/bin/java" -cp "$out/lib/*" ssd.harness.Ssd --help > /dev/null || { echo "gpu-bundle: ssd does not start from the bundle's class path" >&2; exit 1; }
git rev-parse HEAD > "$out/COMMIT" 2>/dev/null || echo unknown > "$out/COMMIT"
tar -C build -cJf build/gpu-bundle.tar.xz gpu-bundle
ls -la build/gpu-bundle.tar.xz
