"""Do features learned on small images work at the full size? A ConvAE trained at half the final size only, scored at both
sizes, against one trained at the final size (`transfer_check` of `progresize.compare`, here with three seeds and BatchNorm
re-estimated too): the check that says why the default schedule loses on digits and not on photos.
For each data set and seed, two complete one-cycle runs of the same epochs: at the final size (the baseline) and at half of it
(the first stage of the default `composer:0.5,0.5,0.2`, all along). Each model is scored on the same validation images at half
size and at full size; the half-size model at full size twice, with the BatchNorm statistics it trained with and with them
re-estimated on two training batches at full size (what `RecalibrateBN` does), so that a loss
from BatchNorm and a loss from the features themselves show apart. Writes transfer.json (read by nbs/08_results.ipynb), saving
after every run; a rerun skips the runs already in the file.
Usage: .venv/bin/python benchmarks/transfer.py [--seeds 0,1,2]"""
import argparse, json, time, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
from progresize.compare import CompareConfig, machine_info, save_json, reference_scores, train_at, score_at
from progresize.progressive import RecalibrateBN, dl_resizer
from schedules import DATA, EPOCHS

HERE = Path(__file__).parent

def run(data, seed, train_size, **kwargs):
    "Train `ConvAE` on `data` at `train_size` px all along with `seed`; its validation PSNR at half and full size (`kwargs` override the settings)"
    cfg = CompareConfig(**(dict(epochs=EPOCHS[data]) | DATA[data] | kwargs))
    learn = train_at(cfg, train_size, seed)
    out = dict(data=data, seed=seed, train_size=train_size, epochs=cfg.epochs, train_seconds=learn.clock.train_seconds,
               at_half=score_at(learn, cfg.size // 2), at_full=score_at(learn, cfg.size))
    if train_size != cfg.size:  # BatchNorm statistics re-estimated at the full size, the weights unchanged
        rb = RecalibrateBN(2); rb.learn = learn; dl_resizer(learn.dls.train).size = train_size
        learn.model.train(); rb.after_train(); learn.model.eval(); out['at_full_recal'] = score_at(learn, cfg.size)
    return out

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0]); p.add_argument('--seeds', default='0,1,2')
    a = p.parse_args(); seeds = [int(s) for s in a.seeds.split(',')]
    out = HERE/'transfer.json'
    rec = json.loads(out.read_text()) if out.exists() else dict(command=f'python benchmarks/transfer.py --seeds {a.seeds}',
                                                                   machine=machine_info(), settings=DATA, epochs=EPOCHS, runs=[], references={})
    keep = ('mean_colour', 'equal_numbers_thumbnail:baseline')  # the trivial references, on the same validation images
    for d in DATA:
        if set(keep) - set(rec['references'].get(d, {})):
            cfg = CompareConfig(epochs=EPOCHS[d], strategies=('baseline',), **DATA[d])
            rec['references'][d] = {k: v for k, v in reference_scores(cfg).items() if k in keep}
            save_json(rec, out)
    done = {(r['data'], r['seed'], r['train_size']) for r in rec['runs']}
    todo = [(d, s, z) for d in DATA for s in seeds for z in (CompareConfig(**DATA[d]).size, CompareConfig(**DATA[d]).size // 2) if (d, s, z) not in done]
    t0 = time.time()
    for i, (d, s, z) in enumerate(todo):
        rec['runs'].append(r := run(d, s, z)); save_json(rec, out)
        print(f"[{i+1}/{len(todo)}] {d} seed {s} trained at {z} px: {r['at_half']:.2f} dB at half size, {r['at_full']:.2f} at full"
              + (f" ({r['at_full_recal']:.2f} with BatchNorm re-estimated)" if 'at_full_recal' in r else '') + f"; {(time.time()-t0)/60:.1f} min elapsed", flush=True)
    print(f"{len(rec['runs'])} runs in {out}")
