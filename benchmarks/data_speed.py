"""Data-only epoch time vs training epoch time, per size and resize path (issue: data must not hide the gain).

Usage (from the repo root, on a quiet machine):  .venv/bin/python benchmarks/data_speed.py [--out benchmarks/data_speed.md]

For each size (16, 32, 64, 128 px) and each path of `ae_dls` ('batch': decoded once, batches resized in memory;
'item': fastai `Resize` per item from pre-resized copies, decoded images cached in memory) it times, after one
warm-up epoch each (the first data epoch is reported too):
- data only: iterating the training DataLoader once (everything the loader does, nothing else);
- training: one `fit` epoch of the default `ConvAE` (timed by `TrainClock`, validation excluded).
The ratio is the share of a training epoch that the data alone would cost.
"""
import argparse, platform, os, time, warnings
warnings.filterwarnings('ignore', message='.*torch.jit.script.*')
import torch
from progresize.data import ae_dls
from progresize.models import ConvAE
from progresize.train import ae_learner
from fastai.vision.all import set_seed


def data_epoch(dl):
    t = time.perf_counter()
    for _ in dl: pass
    return time.perf_counter() - t


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default='benchmarks/data_speed.md')
    p.add_argument('--sizes', default='16,32,64,128')
    p.add_argument('--bs', type=int, default=32)
    p.add_argument('--repeats', type=int, default=3, help='data-only epochs timed (the median is kept)')
    a = p.parse_args()
    rows = []
    for size in map(int, a.sizes.split(',')):
        for resize in ('batch', 'item'):
            set_seed(0)
            dls = ae_dls(size=size, bs=a.bs, resize=resize)
            first = data_epoch(dls.train)  # first epoch: decodes files (item path) and fills the caches
            d = sorted(data_epoch(dls.train) for _ in range(a.repeats))[a.repeats // 2]
            learn = ae_learner(dls, ConvAE())
            with learn.no_bar(), learn.no_logging():
                learn.fit(1, 1e-3)  # warm-up epoch
                t0 = learn.clock.train_seconds
                learn.fit(1, 1e-3)
            t = learn.clock.train_seconds - t0
            rows.append((size, resize, len(dls.train.dataset), first, d, t, d / t))
            print(f'{size:4d} px {resize:5s}: first data epoch {first:7.3f} s, data {d:7.3f} s, training {t:7.3f} s, data/training {d/t:6.1%}', flush=True)
    lines = ['# Data-only vs training epoch time', '',
             f'Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} '
             f'({torch.get_num_threads()} threads), CPU. Command: `.venv/bin/python benchmarks/data_speed.py`.', '',
             f'Default `ConvAE`, batch size {a.bs}, the sample dataset (training images per epoch in the table); '
             f'data time is the median of {a.repeats} epochs after the first one (whose time is shown apart: the item path '
             f'decodes its files then, later epochs read its in-memory cache), training time one epoch after a warm-up epoch.', '',
             '| size (px) | path | images | first data epoch (s) | data-only epoch (s) | training epoch (s) | data / training |',
             '|---|---|---|---|---|---|---|']
    lines += [f'| {s} | {r} | {n} | {f:.3f} | {d:.3f} | {t:.3f} | {d/t:.1%} |' for s, r, n, f, d, t, _ in rows]
    with open(a.out, 'w') as f: f.write('\n'.join(lines) + '\n')
    print('wrote', a.out)


if __name__ == '__main__': main()
