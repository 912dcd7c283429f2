"""Bring the `plateau` summary of recorded results.json files up to date: fields added after these runs were recorded
(`doubling_gain`, then `quarter_gain` and `on_plateau`: complete runs, paired by seed) are computed from the files' own runs with
`progresize.compare.plateau`; every field they had must come out the same (the script stops otherwise and writes nothing for that file).
Usage: .venv/bin/python benchmarks/refresh_plateau.py benchmarks/*/results.json"""
import json, sys
import numpy as np
from pathlib import Path
from progresize.compare import plateau

def same(a, b): return (a is None) == (b is None) and (a is None or np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=0, atol=1e-9))

for f in sys.argv[1:]:
    res = json.loads(Path(f).read_text())
    for ref, old in res['summary']['plateau'].items():
        new = plateau(res['runs'], ref)
        changed = [k for k in old if not same(new[k], old[k])]
        assert not changed, (f, ref, changed, old, new)
        old.update(new)
        print(f, ref, {k: new[k] for k in ('quarter_gain', 'doubling_gain', 'on_plateau')})
    Path(f).write_text(json.dumps(res, indent=1))
