"""Write benchmarks/RESULTS.md from the results.json of the recorded runs.

Usage: .venv/bin/python benchmarks/make_results.py benchmarks/cpu-32/results.json benchmarks/gpu-*/results.json
Every number and every sentence of judgement in RESULTS.md is computed from those files (with the same
`results_md` and `verdict` that `progresize compare` and the report notebook use); nothing is typed in by hand.
"""
import json, sys
from pathlib import Path
from progresize.compare import CompareConfig, command_line, results_md, reused_note, verdict, saved_config
from progresize.answer import speed_md

HERE = Path(__file__).parent


# The settings benchmarks/gpu/run.sh passes to `progresize compare` itself (keep in step with that script); SIZE=... changes the size
RUN_SH = dict(size=128, seeds=(0, 1, 2), budgets=(0.125, 0.25, 0.5, 0.75, 1.0), bs=32, lr=3e-3, crop=1.0, bf16=True, channels_last=True)


def command(cfg, out):
    "The command that wrote `out`: `progresize compare`, or the GPU script (whose data path is the GPU machine's; SIZE picks the size)"
    if Path(out).name.startswith('batch-crop-'): return f"python benchmarks/batch_crop.py {Path(out).name.removeprefix('batch-crop-')}"
    if not Path(out).name.startswith('gpu-'): return command_line(cfg, out)
    env = f'SIZE={cfg.size} ' if cfg.size != RUN_SH['size'] else ''
    return command_line(cfg, prog=f'{env}bash benchmarks/gpu/run.sh {out}', base=CompareConfig(**(RUN_SH | dict(data=cfg.data, size=cfg.size))))


def section(res, path):
    cfg, m = saved_config(res['config']), res['machine']
    body, note = results_md(res), reused_note(res)
    return '\n'.join([f"## The {Path(cfg.data).name} at {cfg.size} px, {cfg.epochs} epochs, {len(cfg.seeds)} seed{'s' * (len(cfg.seeds) > 1)}: {m['device']}", '',
                      f"Command: `{command(cfg, path.parent.as_posix())}` (then `python benchmarks/make_results.py` with the results files).  ",
                      f"Software: Python {m['python']}, torch {m['torch']}, fastai {m['fastai']}; {m['platform']}." + (f"  \n{note}" if note else ''), '',
                      '### What it answers', '', verdict(res), '',
                      ('\n' + body[body.index('## References'):]).replace('\n## ', '\n### ').lstrip('\n')])


def series(p:Path)->tuple:
    "Where a results file goes in the report: its folder's series (`cpu-32-e120` belongs to `cpu-32`), then its epochs"
    stem, _, tail = p.parent.name.rpartition('-e')
    return (stem if stem and tail.isdigit() else p.parent.name, json.loads(p.read_text())['config']['epochs'])


def main(paths):
    parts = ['# Recorded benchmarks', '',
             'Does progressive resizing get an autoencoder to a *good* reconstruction sooner? Each strategy runs as a complete one-cycle '
             'schedule at several budgets (fractions of a full run\'s epochs) with each seed; the frontier of final PSNR against training '
             'seconds is compared with the budget-fair baseline\'s at *Q*, the baseline\'s full-budget quality minus 0.2 dB, seed by seed, '
             'beside references that need no training (the per-image mean colour, thumbnails, and the thumbnail with as many numbers as '
             'the model\'s code). The report notebook `nbs/08_results.ipynb` shows the same numbers with the plots.', '']
    for p in sorted(map(Path, paths), key=lambda p: (p.parent.name.startswith('batch-crop-'), series(p))): parts.append(section(json.loads(p.read_text()), p))  # issue 28's variants last
    parts += ['## Other measurements', '',
              '- `data_speed.md` (`benchmarks/data_speed.py`): data-only epoch time against training epoch time at 16-128 px, '
              'for the batch and the item path.',
              '- `mechanisms.md` (`benchmarks/mechanisms.py`): progressive resizing by new loaders per stage (the item path) against '
              'batch resizing (the batch path) over three seeds with an order-only control, their pixels, and memory as sizes change '
              '(recorded with the first sample and the 8-epoch protocol).',
              '- `grow_recipes.json` (`benchmarks/grow_recipes.py`) and `grow_split.json` (`benchmarks/grow_split.py`): `GrowAE` grown with '
              'each recipe of `fit_grown` and two splits of the epochs, against the same model from scratch (read by `nbs/08_results.ipynb`, '
              'which picks the recipe `progresize compare` grows with).',
              '- `schedules-sample.json` and `schedules-mnist.json` (`benchmarks/schedules.py`): other shapes of the progressive schedule, '
              'and crops at the full-size scale instead of shrunk images, each against the baseline of its seed at equal epochs (read by '
              '`nbs/08_results.ipynb`, section *What else we tried*).',
              '- `transfer.json` (`benchmarks/transfer.py`): `ConvAE` trained at half the final size only against the same model trained '
              'at the final size, each scored at both sizes, on the sample and on digits (read by `nbs/08_results.ipynb`, section *Why digits*, '
              'and `nbs/07_own_data.ipynb`).',
              '- `shrink.json` (`benchmarks/shrink.py`): how much of the training images survives shrinking to half the final size, '
              'over all of them and per photo or digit class: whether that free number could stand in for `transfer.json`\'s '
              'measurement (read by `nbs/08_results.ipynb`, section *Could the images tell in advance*).',
              '- GPU runs: `benchmarks/gpu/run.sh` (wheels from `fetch_wheels.sh`) runs the comparison on one GPU with nothing to '
              'download there (`SIZE=256`: the sample is cut there from the photos `benchmarks/gpu/photos.py` saved); its results are '
              'the sections whose folder starts with `gpu-`.',
              '- `gpu/step_time-h100.json` (`benchmarks/gpu/step_time.py`): a bare training step of `ConvAE` by size and batch size on a '
              'lent H100, without fastai or data loading (read by `nbs/08_results.ipynb`, section *On a GPU*); `step_time-cpu.json`, the same '
              'on this CPU (read by the section below).', '']
    if any(HERE.glob('batch-crop-*/results.json')):
        parts += ['## Seconds, not only FLOPs: shrink or crop, a batch per size', '',
                  'Written by `progresize.answer.speed_md` from `step_time-cpu.json` and the `batch-crop-*` folders above '
                  '(`python benchmarks/batch_crop.py`); the report shows the same in its section of that name.', '', speed_md(HERE), '']
    (HERE/'RESULTS.md').write_text('\n'.join(parts) + '\n')
    print('wrote', HERE/'RESULTS.md')


if __name__ == '__main__': main(sys.argv[1:])
