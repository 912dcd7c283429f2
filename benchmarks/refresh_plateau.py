"""Add the plateau's `doubling_gain` (full against half budget, paired by seed: a field `plateau` gained after these runs were
recorded) to results.json files, computed from their own runs with `progresize.compare.plateau`; the fields they had must come out the same.
Usage: .venv/bin/python benchmarks/refresh_plateau.py benchmarks/*/results.json"""
import json, sys
import numpy as np
from pathlib import Path
from progresize.compare import plateau
for f in sys.argv[1:]:
    res = json.loads(Path(f).read_text())
    for ref, old in res['summary']['plateau'].items():
        new = plateau(res['runs'], ref)
        same = lambda a, b: (a is None) == (b is None) and (a is None or np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=0, atol=1e-9))
        assert all(same(new[k], old[k]) for k in old if k != 'doubling_gain'), (f, old, new)
        old['doubling_gain'] = new['doubling_gain']
        print(f, ref, new['doubling_gain'])
    Path(f).write_text(json.dumps(res, indent=1))
