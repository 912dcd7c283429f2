#!/usr/bin/env python3
"""Execute the tutorials in their full setting, save their outputs in place, and record how long each took.

    python tools/run_tutorials.py                  # every notebook in nbs/tutorials/
    python tools/run_tutorials.py 02_progressive   # only those whose name contains one of the words

Run it on a quiet machine: the seconds go to `nbs/tutorials/timings.json`, which `tools/reading_stats.py` checks
(at most 5 minutes a tutorial, 20 together). `IN_TEST` is removed from the environment, so the notebooks run in full,
never in the tests' quick mode; then `nbdev_clean` tidies them as the commit hook would.
"""
import json, os, platform, subprocess, sys, time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
TUT = ROOT/'nbs'/'tutorials'


def machine()->str:
    "The machine in a few words: CPU cores and torch threads"
    import torch
    return f"{platform.machine()}, {os.cpu_count()} cores, {torch.get_num_threads()} torch threads, load {os.getloadavg()[0]:.1f} at the start"


def main(words):
    os.environ.pop('IN_TEST', None)
    tp = TUT/'timings.json'
    rec = json.loads(tp.read_text()) if tp.exists() else dict(notebooks={})
    rec['machine'] = machine()
    for nb_path in sorted(TUT.glob('*.ipynb')):
        if words and not any(w in nb_path.name for w in words): continue
        nb = nbformat.read(nb_path, as_version=4)
        t = time.perf_counter()
        NotebookClient(nb, timeout=1200, kernel_name='python3', resources={'metadata': {'path': str(TUT)}}).execute()
        secs = time.perf_counter() - t
        nbformat.write(nb, nb_path)
        subprocess.run([str(Path(sys.executable).parent/'nbdev_clean'), '--fname', str(nb_path)], check=True, capture_output=True, cwd=ROOT)
        rec['notebooks'][f'tutorials/{nb_path.name}'] = dict(seconds=round(secs, 1), load_after=round(os.getloadavg()[0], 1))
        print(f'{nb_path.name}: {secs:.0f} s')
    tp.write_text(json.dumps(rec, indent=1) + '\n')


if __name__ == '__main__': main(sys.argv[1:])
