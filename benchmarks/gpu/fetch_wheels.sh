#!/usr/bin/env bash
# Download, here, the wheels that the GPU machine lacks (it has torch, torchvision, torchmetrics, scikit-image,
# scikit-learn and matplotlib, but not fastai), for its Python 3.12, into benchmarks/gpu/wheels (git-ignored).
# Then copy the 128 px sample (built here once) beside them, so the GPU run needs no network at all.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p wheels
pip=${PIP:-../../.venv/bin/pip}
for req in fastai==2.8.7 fastcore==1.14.5 fasttransform fastprogress fastdownload plum-dispatch beartype; do
    "$pip" download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 --platform any -d wheels "$req" -q
done
../../.venv/bin/python -c "from progresize.data import sample_images; import shutil; p = sample_images(size=128); shutil.copytree(p, 'sample', dirs_exist_ok=True); print('sample:', p)"
ls wheels
