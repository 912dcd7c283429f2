"""Grown `GrowAE` with the epochs back-loaded (10/20/30 at 8/16/32 px instead of 20/20/20), with the two recipes of `fit_grown`
that train everything from the start; write grow_split.json (read by nbs/08_results.ipynb beside grow_recipes.json).
Why: in grow_recipes.json the last stage adds little and seed 2 stalls; a probe of seed 2 suggested more epochs at the final size.
Usage: .venv/bin/python benchmarks/grow_split.py [SEEDS, default 0,1,2]"""
import json, os, platform, sys, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import torch
from progresize.grow import grow_run

HERE = Path(__file__).parent
SETTINGS = dict(json.loads((HERE/'grow_recipes.json').read_text())['settings'], epochs=[10, 20, 30])  # grow_recipes' protocol, another split
RECIPES = ['fade', 'one_cycle']
MACHINE = f"{platform.machine()} CPU, {os.cpu_count()} cores, {torch.get_num_threads()} torch threads; torch {torch.__version__}"

if __name__ == '__main__':
    seeds, runs = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else '0,1,2').split(',')], []
    kw = {k: v for k, v in SETTINGS.items() if k != 'epochs'}
    for seed in seeds:
        for recipe in RECIPES:
            r = grow_run(recipe, seed, epochs=tuple(SETTINGS['epochs']), **kw)
            runs.append(r)
            print(f"seed {seed} {recipe} {SETTINGS['epochs']}: {r['final_psnr']:.2f} dB, {r['train_seconds']:.1f} s", flush=True)
    (HERE/'grow_split.json').write_text(json.dumps(dict(settings=SETTINGS, machine=MACHINE, command='python benchmarks/grow_split.py', runs=runs)))
    print(f'{len(runs)} runs -> grow_split.json')
