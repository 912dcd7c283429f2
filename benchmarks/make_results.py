"""Write benchmarks/RESULTS.md from the results.json of the recorded runs.

Usage: .venv/bin/python benchmarks/make_results.py benchmarks/cpu-128/results.json [more results.json ...]
Every number in RESULTS.md is read from those files; nothing is typed in by hand.
"""
import json, sys
from pathlib import Path

HERE = Path(__file__).parent


def fmt(ms, nd=2, unit=''):
    m, s = ms if isinstance(ms, (list, tuple)) else (ms, None)
    if m is None: return 'not reached'
    return f'{m:.{nd}f}{unit}' + (f' ± {s:.{nd}f}' if s else '')


def psnr_at_epoch(hist, n):
    h = [x for x in hist if x['epoch'] == n]
    return h[0]['valid_psnr'] if h else None


def section(res, path):
    cfg, summ, m = res['config'], res['summary'], res['machine']
    n_seeds = len(cfg['seeds'])
    cmd = (f"progresize compare --size {cfg['size']} --seeds {','.join(map(str, cfg['seeds']))} --epochs {cfg['epochs']} "
           f"--bs {cfg['bs']} --lr {cfg['lr']}" + (f" --data {cfg['data']}" if cfg['data'] != 'sample' else ''))
    out = [f"## {cfg['data']} at {cfg['size']} px, {n_seeds} seed{'s' if n_seeds > 1 else ''}: {m['device']}", '',
           f"Command: `{cmd} --out {path.parent.as_posix()}` (then `python benchmarks/make_results.py {path.as_posix()}`).  ",
           f"Software: Python {m['python']}, torch {m['torch']}, fastai {m['fastai']}; {m['platform']}.  ",
           f"Baseline and latent: {cfg['epochs']} epochs at {cfg['size']} px. Progressive stages (size, epochs): {cfg['stages']}. "
           f"Values are mean ± std over the seeds.", '',
           '| strategy | vs | final PSNR (dB) | train s | target (dB) | s to target | seeds reaching it | speedup | compute bound | time ratio | time ratio / bound | PSNR at the reference\'s time |',
           '|---|---|---|---|---|---|---|---|---|---|---|---|']
    for s, st in summ['stats'].items():
        ref = st['reference'] if st['reference'] != s else '—'
        sp = res['speedup'].get(s)
        cb, tr = st.get('compute_bound'), st.get('time_ratio')
        out.append(f"| {s} | {ref} | {fmt(st['final_psnr'])} | {fmt(st['train_seconds'], 1)} | {fmt(st['target_psnr'])} | "
                   f"{fmt(st['seconds_to_target'], 1)} | {st['reached']}/{st['n']} | {fmt(sp, 2, '×') if sp else '—'} | "
                   f"{fmt(cb, 3) if cb else '—'} | {fmt(tr, 3) if tr else '—'} | {fmt(tr/cb, 2) if cb and tr else '—'} | "
                   f"{fmt(st['psnr_at_reference_time']) if s != st['reference'] else '—'} |")
    e = cfg['epochs']
    out += ['', f"PSNR after {e} epochs (the baseline's epoch count), per strategy, mean over seeds: " + ', '.join(
        f"{s} {sum(v)/len(v):.2f} dB" for s in summ['stats']
        for v in [[p for p in (psnr_at_epoch(r['history'], e) for r in res['runs'] if r['strategy'] == s) if p is not None]] if v) + '.', '']
    return '\n'.join(out)


def main(paths):
    parts = ['# Recorded benchmarks', '',
             'How much training time progressive resizing (`progressive`, vs the `baseline`) and head insertion (`grow`, vs `latent`, '
             'the same fixed-latent architecture trained from scratch at full size) save an autoencoder. Definitions: *target*, the '
             'lowest final validation PSNR among the reference\'s seeds; *s to target*, training seconds until a run\'s validation '
             'PSNR (at full size, after an epoch) first reached it; *speedup*, reference mean / strategy mean of that; *compute bound*, '
             'the run\'s training FLOPs over the reference\'s (its schedule\'s arithmetic); *time ratio*, measured training seconds '
             'over the reference\'s; *PSNR at the reference\'s time*, the best PSNR a strategy reached within the reference\'s mean '
             'training time.', '']
    for p in map(Path, paths): parts.append(section(json.loads(p.read_text()), p))
    parts += ['## Other measurements', '',
              '- `data_speed.md` (`benchmarks/data_speed.py`): data-only epoch time against training epoch time at 16-128 px, '
              'for the batch and the item path.',
              '- `mechanisms.md` (`benchmarks/mechanisms.py`): progressive resizing by new loaders per stage (A) against batch '
              'resizing (B) over three seeds with an order-only control, their pixels, and memory as sizes change.',
              '- The default comparison (the sample at 64 px, three seeds) and a second dataset (MNIST digits at 32 px) are run, '
              'with their outputs, in `nbs/05_compare.ipynb` and `nbs/07_own_data.ipynb`.',
              '- GPU: `benchmarks/gpu/run.sh` (wheels from `fetch_wheels.sh`) runs this benchmark on one GPU; it has not been run '
              'yet, for lack of a GPU machine, so no GPU number is recorded here.', '']
    (HERE/'RESULTS.md').write_text('\n'.join(parts) + '\n')
    print('wrote', HERE/'RESULTS.md')


if __name__ == '__main__': main(sys.argv[1:])
