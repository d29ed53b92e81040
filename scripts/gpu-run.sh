#!/usr/bin/env bash
# Runs `ssd` from a GPU bundle (scripts/gpu-bundle.sh) against the libtorch and CUDA libraries of an installed
# Python PyTorch. Usage: ssd-gpu [--torch-site DIR] ssd-arguments...
# Installed twice in the bundle: as bin/ssd-gpu (the command line) and bin/ssd-gpu-test (the GPU-tagged tests).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
site=""
if [ "${1:-}" = "--torch-site" ]; then site=$2; shift 2; fi
if [ -z "$site" ]; then
  site=$(python3 -c 'import torch, os; print(os.path.dirname(os.path.dirname(torch.__file__)))' 2>/dev/null) || true
fi
if [ -z "$site" ] || [ ! -f "$site/torch/lib/libtorch_cuda.so" ]; then
  echo "ssd-gpu: no CUDA libtorch found (python3 -c 'import torch' failed or torch/lib/libtorch_cuda.so is missing); pass --torch-site DIR" >&2
  exit 2
fi
nv=$site/nvidia
lp=$site/torch/lib
for d in cu13 cudnn nccl cusparselt nvshmem cublas cuda_runtime; do [ -d "$nv/$d/lib" ] && lp=$lp:$nv/$d/lib; done
export LD_LIBRARY_PATH=$lp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
echo "ssd-gpu: libtorch from $site/torch/lib ($(python3 -c 'import torch; print(torch.__version__)' 2>/dev/null || echo unknown version))" >&2
java=${JAVA:-$here/jre/bin/java}
export SSD_GIT_COMMIT=${SSD_GIT_COMMIT:-$(cat "$here/COMMIT" 2>/dev/null || echo unknown)}
jvm=("$java" -Xss8m ${SSD_JAVA_OPTS:-} -Dorg.bytedeco.javacpp.platform.extension=-gpu -Djava.library.path="$LD_LIBRARY_PATH")
if [ "$(basename "$0")" = ssd-gpu-test ]; then
  # The GPU-tagged JUnit tests through the console launcher (no Maven on such hosts); extra arguments go to it.
  cp=$(printf '%s:' "$here"/lib/*.jar "$here"/tests/*.jar)
  roots=$(printf '%s:' "$here"/tests/*-tests.jar)
  exec "${jvm[@]}" -jar "$here"/tests/junit-platform-console-standalone-*.jar execute --disable-banner --disable-ansi-colors --details=tree \
    --class-path "${cp%:}" --scan-class-path "${roots%:}" --include-tag gpu --fail-if-no-tests "$@"
fi
exec "${jvm[@]}" -cp "$here/lib/*" ssd.harness.Ssd "$@"
