"Train `GrowAE` from scratch and grown with each recipe of `fit_grown`, for several seeds; write grow_recipes.json (read by nbs/04_grow.ipynb)"
import json, os, platform, sys, time, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import torch
torch.set_num_threads(1)  # the machine is shared: one thread per run, no OpenMP contention with the other jobs
from progresize.grow import grow_run

OUT = Path(__file__).parent/'grow_recipes.json'
SETTINGS = dict(epochs=[20, 20, 20], size=32, lr=3e-3, fade=0.5, code=4, width=16, bs=32, max_images=None, crop=0.5, flip=True)
PLANS = [('scratch', {}), ('seed', {}), ('fade', {}), ('one_cycle', {}), ('fade', dict(keep_state=False))]

def main(seeds=(0, 1, 2)):
    kw = {k: v for k, v in SETTINGS.items() if k != 'epochs'}
    res = dict(settings=SETTINGS, command=' '.join(['python', *sys.argv]),
               machine=f"{platform.machine()} CPU, {os.cpu_count()} cores, {torch.get_num_threads()} torch threads; torch {torch.__version__}",
               runs=[])
    for seed in seeds:
        for recipe, extra in PLANS:
            load = os.getloadavg()[0]
            r = grow_run(recipe, seed, epochs=tuple(SETTINGS['epochs']), **kw, **extra)
            r['load_before'], r['load_after'] = load, os.getloadavg()[0]
            res['runs'].append(r)
            OUT.write_text(json.dumps(res))
            print(f"seed {seed} {recipe}{'' if r['keep_state'] else ' (Adam reset)'}: {r['final_psnr']:.2f} dB, {r['train_seconds']:.1f} s, "
                  f"insertions {[round(g['psnr_after'] - g['psnr_before'], 3) for g in r['growth_log']]}, load {load:.2f}", flush=True)

if __name__ == '__main__':
    main(tuple(int(s) for s in sys.argv[1].split(',')) if len(sys.argv) > 1 else (0, 1, 2))
