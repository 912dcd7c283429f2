"""Add the plateau's `doubling_gain` (full against half budget, paired by seed: a field `plateau` gained after these runs were
recorded) to results.json files, computed from their own runs with `progresize.compare.plateau`; the fields they had must come out the same.
Usage: .venv/bin/python benchmarks/refresh_plateau.py benchmarks/*/results.json"""
import json, sys
from pathlib import Path
from progresize.compare import plateau
for f in sys.argv[1:]:
    res = json.loads(Path(f).read_text())
    for ref, old in res['summary']['plateau'].items():
        new = plateau(res['runs'], ref)
        assert all(abs((new[k] or [0])[0] if isinstance(new[k], (list, tuple)) else (new[k] or 0)) - abs((old[k] or [0])[0] if isinstance(old[k], (list, tuple)) else (old[k] or 0)) < 1e-9 for k in old), (f, old, new)
        old['doubling_gain'] = new['doubling_gain']
        print(f, ref, new['doubling_gain'])
    Path(f).write_text(json.dumps(res, indent=1))
