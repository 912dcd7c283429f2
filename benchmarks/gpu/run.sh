#!/usr/bin/env bash
# The comparison on one GPU at 128 px or more (the sizes CPUs cannot afford): CUDA, bf16 autocast, channels_last, and
# otherwise the CPU benchmark's protocol (batches of 32, lr 3e-3, flips). Crops are off (--crop 1): the sample is stored
# at the final size, so a smaller crop would have to be enlarged, and the model would train on blurred images it is
# never scored on.
# Works where fastai is not installed and nothing can be downloaded: it installs the wheels carried in
# benchmarks/gpu/wheels (see fetch_wheels.sh) into /tmp/site and imports progresize from this checkout.
# Data: at 128 px the sample carried in benchmarks/gpu/sample. At another SIZE the photos carried in
# benchmarks/gpu/photos (`python benchmarks/gpu/photos.py save benchmarks/gpu/photos`, 8 MB) are cut there into the
# same patches `sample_images(size=SIZE, stride=SIZE/8)` cuts here: every SIZE/8 px, so that a 512 px photo still
# gives its 64 patches and validation keeps over 300 of them (at 256 px: 724 training and 325 validation patches).
# LIMIT (seconds, optional): stop the comparison then, and report the seeds whose runs all finished
# (`--resume --seeds ...`: nothing retrains), so a lent GPU's time limit loses no finished seed.
# Usage, from the repo root:  [SIZE=256] [LIMIT=500] [PHOTOS=dir] bash benchmarks/gpu/run.sh [OUT_DIR] [extra `progresize compare` flags]
# Seconds, not only FLOPs (issue 28): the extra flags `--batch pixels --lr-scale sqrt --buckets 4 --warmup` give progressive a
# batch per size on four shapes, warmed up outside the timed budget; add `--compile` for torch.compile (one graph per shape,
# compiled in the warm-up), and `--resize crop` for crops at full scale. Each is one comparison (its own OUT_DIR).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-${OUT:-$root/gpu-results}}; shift || true
py=${PYTHON:-python3}; size=${SIZE:-128}
if ! "$py" -c "import fastai" 2>/dev/null; then
    "$py" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "${WHEELS:-$root/benchmarks/gpu/wheels}"/*.whl
    export PYTHONPATH=/tmp/site
fi
export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
if [ "$size" = 128 ]; then data="$root/benchmarks/gpu/sample"; [ -d "$data" ] || data=sample
else data=/tmp/progresize-sample-$size-stride$((size/8)); "$py" "$root/benchmarks/gpu/photos.py" build "${PHOTOS:-$root/benchmarks/gpu/photos}" "$data" --size "$size" --stride $((size/8)); fi
"$py" -c "import torch; print('device:', torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'CPU (no GPU found)')"
args=(--data "$data" --size "$size" --seeds 0,1,2 --budgets 0.125,0.25,0.5,0.75,1 --bs 32 --lr 3e-3 --crop 1 --bf16 --channels-last --quiet --out "$out" "$@")
rc=0; time timeout "${LIMIT:-0}" "$py" -m progresize.cli compare "${args[@]}" || rc=$?
if [ "$rc" = 124 ]; then
    # the seeds whose runs all finished, from the run files (named STRATEGY-seedS-bB.json) and the settings of one of them
    done_seeds=$("$py" - "$out/runs" <<'PY'
import json, sys, collections
from pathlib import Path
fs = sorted(Path(sys.argv[1]).glob('*.json'))
if not fs: sys.exit()
cfg = json.loads(fs[0].read_text())['config']
need = {(s, b) for s in cfg['strategies'] for b in cfg['budgets']}
have = collections.defaultdict(set)
for f in fs:
    r = json.loads(f.read_text()); have[r['seed']].add((r['strategy'], r['budget']))
print(','.join(str(s) for s in cfg['seeds'] if need <= have[s]))
PY
)
    echo "stopped at LIMIT=${LIMIT}s; seeds with every run finished: ${done_seeds:-none}"
    [ -n "$done_seeds" ] || exit 124
    "$py" -m progresize.cli compare "${args[@]}" --resume --seeds "$done_seeds"
elif [ "$rc" != 0 ]; then exit "$rc"; fi
