"""The item path (new item-transform loaders per stage) vs the batch path (batch resizing) over seeds, their pixels,
and memory as sizes change.

Usage (from the repo root, on a quiet machine):  .venv/bin/python benchmarks/mechanisms.py [--seeds 0,1,2]

It answers three questions left open by the single run of `nbs/03_progressive.ipynb`:
1. Do the two paths feed the model the same pixels? (The item path reads PIL-resized copies, the batch path
   resizes in PyTorch.)
2. Is the item path's lower final PSNR in that run a property of the path or one seed's luck? Both train the same
   schedule (32:4, 64:2, 128:2, as in the notebook) for each seed (same initial weights for both); the table
   gives mean and std. A control run of the batch path with only the order of the training batches changed
   ('batch path, reordered') shows how much the order alone moves the final PSNR.
3. What does memory do as sizes change? The activations one step saves for backward at each size
   (`step_memory`), and the process's peak resident memory during every epoch of every run.
Writes `benchmarks/mechanisms.md` and `benchmarks/mechanisms.json`.
"""
import argparse, json, os, platform, random, resource, threading, time, warnings
warnings.filterwarnings('ignore', message='.*torch.jit.script.*')
import numpy as np, torch, PIL.Image
from fastai.vision.all import Callback, set_seed
from progresize.data import ae_dls, image_split, sample_images, resized_copies, decode_images, resize_batch, image_files
from progresize.models import ConvAE
from progresize.progressive import SizeSchedule, fit_schedule, step_memory

LABEL = {'item': 'item path', 'batch': 'batch path', 'batch, reordered': 'batch path, reordered'}  # run name -> label


def rss_mb():
    "Resident memory of this process now, in MB (Linux), else its peak so far"
    try:
        with open('/proc/self/statm') as f: return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20
    except OSError: return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Reorder(Callback):
    "Control: give the training loader its own shuffling seed, so that only the order of the batches changes"
    def __init__(self, seed): self.seed = seed
    def before_fit(self): self.dls.train.rng = random.Random(self.seed)


class RSSLog(Callback):
    "Record the peak resident memory of the process during each epoch (sampled every 5 ms by a thread)"
    def before_fit(self): self.rss = []
    def _sample(self):
        while not self._stop.is_set(): self._peak = max(self._peak, rss_mb()); self._stop.wait(0.005)
    def before_epoch(self):
        self._peak, self._stop = rss_mb(), threading.Event()
        self._t = threading.Thread(target=self._sample, daemon=True); self._t.start()
    def after_epoch(self):
        self._stop.set(); self._t.join()
        self.rss.append(round(self._peak))


def pixel_diff(size):
    "Mean and max absolute difference (uint8 levels) between the item path's PIL copies and the batch path's PyTorch resize at `size`"
    tr, va = image_split(sample_images())
    a = torch.stack([torch.from_numpy(np.array(PIL.Image.open(f).convert('RGB'))).permute(2, 0, 1)
                     for f in image_files(resized_copies(tr, va, size) / 'train')])
    b = resize_batch(decode_images(tr, 128)[0], size)
    d = (a.int() - b.int()).abs().float()
    return dict(size=size, mean_abs=round(d.mean().item(), 3), max_abs=int(d.max().item()),
                share_equal=round((d == 0).float().mean().item(), 3))


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--seeds', default='0,1,2')
    p.add_argument('--epochs', type=int, default=8)
    p.add_argument('--bs', type=int, default=32)
    p.add_argument('--out', default='benchmarks/mechanisms')
    a = p.parse_args()
    seeds = [int(s) for s in a.seeds.split(',')]
    stages = [(32, 4), (64, 2), (128, 2)]
    sched = SizeSchedule.stages(stages, stride=8)
    pix = [pixel_diff(s) for s in (32, 64)]
    print('pixels:', pix, flush=True)
    mem = [step_memory(ConvAE(), s, bs=a.bs) for s in (16, 32, 64, 128)]
    print('step memory:', mem, flush=True)
    runs = []
    for seed in seeds:
        for name in ('item', 'batch', 'batch, reordered'):
            t, mech = time.perf_counter(), name.split(',')[0]
            log = RSSLog()
            learn = fit_schedule(sched, a.epochs, resize=mech, seed=seed, bs=a.bs,
                                 cbs=[log] + ([Reorder(1000 + seed)] if 'reordered' in name else []))
            h = learn.clock.history
            runs.append(dict(mechanism=name, seed=seed, final_psnr=h[-1]['valid_psnr'], train_seconds=learn.clock.train_seconds,
                             psnr=[round(e['valid_psnr'], 3) for e in h], rss_mb=log.rss, wall_seconds=time.perf_counter() - t))
            print(f"seed {seed} {LABEL[name]:21s}: final {h[-1]['valid_psnr']:.2f} dB, {learn.clock.train_seconds:.1f} s, rss {log.rss}", flush=True)
    res = dict(config=dict(stages=stages, epochs=a.epochs, bs=a.bs, seeds=seeds, lr=3e-3),
               machine=f'{platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, CPU',
               pixels=pix, step_memory=mem, runs=runs)
    with open(a.out + '.json', 'w') as f: json.dump(res, f, indent=1)
    def stat(mech, k):
        v = np.array([r[k] for r in runs if r['mechanism'] == mech])
        return f'{v.mean():.2f} ± {v.std(ddof=1) if len(v) > 1 else 0:.2f}'
    def gaps(m1, m2): return [r['final_psnr'] - q['final_psnr'] for r in runs for q in runs
                              if r['mechanism'] == m1 and q['mechanism'] == m2 and r['seed'] == q['seed']]
    L = ['# Item path vs batch path, and memory as sizes change', '',
         f"Machine: {res['machine']}. Command: `.venv/bin/python benchmarks/mechanisms.py --seeds {a.seeds}`.", '',
         f'`ConvAE` on the sample, stages {stages} (8 epochs, one-cycle, lr 3e-3, batch size {a.bs}), judged at 128 px.', '',
         '## Same pixels?', '', "The item path's PIL-resized copies vs the batch path's PyTorch resize of the same 128 px training images (uint8 levels):", '',
         '| size | mean abs diff | max abs diff | share of equal values |', '|---|---|---|---|']
    L += [f"| {d['size']} | {d['mean_abs']} | {d['max_abs']} | {d['share_equal']:.1%} |" for d in pix]
    L += ['', '## Final PSNR and training time over seeds', '',
          '| resize path | final PSNR (dB) | training seconds |', '|---|---|---|']
    L += [f'| {LABEL[m]} | {stat(m, "final_psnr")} | {stat(m, "train_seconds")} |' for m in ('item', 'batch', 'batch, reordered')]
    L += ['', 'Per seed (final PSNR, dB): ' + '; '.join(f"seed {r['seed']} {LABEL[r['mechanism']]} {r['final_psnr']:.2f}" for r in runs),
          '', f'Same seed (same initial weights, same pixels), batch path minus item path: {", ".join(f"{g:+.2f}" for g in gaps("batch", "item"))} dB; '
          f'batch path minus batch path with only the batch order changed: {", ".join(f"{g:+.2f}" for g in gaps("batch", "batch, reordered"))} dB.', '',
          '## Memory', '', f'Activations saved for backward by one training step (batch {a.bs}), from `step_memory`:', '',
          '| size | activations (MB) |', '|---|---|']
    L += [f"| {m['size']} | {m['activations_mb']:.1f} |" for m in mem]
    L += ['', 'Peak resident memory of the process (MB) during each epoch, sampled every 5 ms (sizes ' +
          ', '.join(str(s) for s, e in stages for _ in range(e)) + '):', '']
    L += [f"- seed {r['seed']} {LABEL[r['mechanism']]}: {r['rss_mb']}" for r in runs]
    with open(a.out + '.md', 'w') as f: f.write('\n'.join(L) + '\n')
    print('wrote', a.out + '.md')


if __name__ == '__main__': main()
