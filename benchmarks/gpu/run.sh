#!/usr/bin/env bash
# The comparison on one GPU at 128 px (the size CPUs cannot afford): CUDA, bf16 autocast, channels_last, and otherwise
# the CPU benchmark's protocol (60 epochs, batches of 32, lr 3e-3, flips). Crops are off (--crop 1): the sample is stored
# at 128 px, so a smaller crop would have to be enlarged, and the model would train on blurred images it is never scored on.
# Works where fastai is not installed and nothing can be downloaded: it installs the wheels carried in
# benchmarks/gpu/wheels (see fetch_wheels.sh) into /tmp/site and imports progresize from this checkout.
# Usage, from the repo root:  bash benchmarks/gpu/run.sh [OUT_DIR] [extra `progresize compare` flags]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-${OUT:-$root/gpu-results}}; shift || true
py=${PYTHON:-python3}
if ! "$py" -c "import fastai" 2>/dev/null; then
    "$py" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "${WHEELS:-$root/benchmarks/gpu/wheels}"/*.whl
    export PYTHONPATH=/tmp/site
fi
export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
data="$root/benchmarks/gpu/sample"; [ -d "$data" ] || data=sample
"$py" -c "import torch; print('device:', torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'CPU (no GPU found)')"
time "$py" -m progresize.cli compare --data "$data" --size 128 --seeds 0,1,2 --budgets 0.125,0.25,0.5,0.75,1 --bs 32 --lr 3e-3 --crop 1 --bf16 --channels-last \
    --quiet --out "$out" "$@"
