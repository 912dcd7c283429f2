"Train `GrowAE` from scratch and grown with each recipe of `fit_grown`, for several seeds; write grow_recipes.json (read by nbs/08_results.ipynb)"
import json, os, platform, sys, time, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import torch
torch.set_num_threads(1)  # the machine is shared: one thread per run (two seeds can run side by side), no OpenMP contention
from progresize.grow import grow_run

HERE = Path(__file__).parent
OUT = HERE/'grow_recipes.json'
SETTINGS = dict(epochs=[20, 20, 20], size=32, lr=3e-3, fade=0.5, code=4, width=32, bs=32, max_images=None, crop=0.5, flip=True)
PLANS = [('scratch', {}), ('freeze_slice', {}), ('fade', {}), ('one_cycle', {}), ('fade', dict(keep_state=False))]
MACHINE = f"{platform.machine()} CPU, {os.cpu_count()} cores, {torch.get_num_threads()} torch thread per run; torch {torch.__version__}"

def run_seed(seed:int):
    "Every plan with `seed`; the runs go to grow_recipes_seed{seed}.json as they finish"
    kw = {k: v for k, v in SETTINGS.items() if k != 'epochs'}
    out, runs = HERE/f'grow_recipes_seed{seed}.json', []
    for recipe, extra in PLANS:
        load = os.getloadavg()[0]
        r = grow_run(recipe, seed, epochs=tuple(SETTINGS['epochs']), **kw, **extra)
        r['load_before'], r['load_after'] = load, os.getloadavg()[0]
        runs.append(r)
        out.write_text(json.dumps(runs))
        print(f"seed {seed} {recipe}{'' if r['keep_state'] else ' (Adam reset)'}: {r['final_psnr']:.2f} dB, {r['train_seconds']:.1f} s, "
              f"insertions {[round(g['psnr_after'] - g['psnr_before'], 4) for g in r['growth_log']]}, load {load:.2f}", flush=True)

def merge():
    "Gather the per-seed files into grow_recipes.json"
    runs = [r for f in sorted(HERE.glob('grow_recipes_seed*.json')) for r in json.loads(f.read_text())]
    OUT.write_text(json.dumps(dict(settings=SETTINGS, machine=MACHINE, command='python benchmarks/grow_recipes.py SEED (one process per seed), then --merge', runs=runs)))
    print(f'{len(runs)} runs -> {OUT}')

if __name__ == '__main__':
    if sys.argv[1:] == ['--merge']: merge()
    else:
        for s in sys.argv[1].split(',') if len(sys.argv) > 1 else ['0', '1', '2']: run_seed(int(s))
