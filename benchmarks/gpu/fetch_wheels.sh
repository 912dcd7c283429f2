#!/usr/bin/env bash
# Download, here, the wheels that the GPU machine lacks (it has torch, torchvision, torchmetrics, scikit-image,
# scikit-learn and matplotlib, but not fastai), for its Python 3.12, into benchmarks/gpu/wheels (git-ignored).
# Versions are pinned to ones that import with what the GPU image has (fastprogress >= 1.1 needs python-fasthtml,
# fasttransform 0.0.5 needs fastcore 2). Then copy the 128 px sample (built here once) and the photos it is cut from beside them,
# so the GPU run needs no network at all. Carry benchmarks/gpu/wheels and benchmarks/gpu/sample (SIZE=128) or benchmarks/gpu/photos.
# To test the whole path on a CPU machine first: PY_VERSION=3.11 WHEELS=wheels-py311 bash fetch_wheels.sh, then
# WHEELS=benchmarks/gpu/wheels-py311 PYTHON=/path/to/a/python/without/fastai bash benchmarks/gpu/run.sh OUT --size 32 ...
set -euo pipefail
cd "$(dirname "$0")"
pyver=${PY_VERSION:-3.12}; dest=${WHEELS:-wheels}
mkdir -p "$dest"
pip=${PIP:-../../.venv/bin/pip}
for req in fastai==2.8.7 fastcore==1.14.5 fasttransform==0.0.2 fastprogress==1.0.3 fastdownload==0.0.8 plum-dispatch==2.10.1 beartype==0.23.1; do
    "$pip" download --no-deps --only-binary=:all: --python-version "$pyver" --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 --platform any -d "$dest" "$req" -q
done
../../.venv/bin/python -c "from progresize.data import sample_images; import shutil; p = sample_images(size=128); shutil.copytree(p, 'sample', dirs_exist_ok=True); print('sample:', p)"
../../.venv/bin/python photos.py save photos  # the photos themselves (8 MB), for SIZE=256 and other sizes: run.sh cuts them there
ls "$dest"
