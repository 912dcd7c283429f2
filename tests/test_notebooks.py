"""Run every notebook the way `nbdev_test` does, one pytest test per notebook.

Same notebooks (`nbs/**/*.ipynb` except names starting with `_` or `.`, and folders holding a `.notest` file),
same call (`nbdev.test.test_nb` with `skip_flags` from `tst_flags` in settings.ini, `force_flags` from
`pytest --flags "slow"`, `basepath` = repo root), same environment (`IN_TEST=1`, cwd = `nbs`; `test_nb` itself
then works from the notebook's folder). `test_nb` does not raise: it returns `(ok, seconds)` and writes the
traceback to stderr, which pytest shows for a failed notebook.
"""
import os, subprocess, sys
from pathlib import Path

import pytest
from fastcore.xtras import globtastic
from nbdev import test as nbtest  # not `from nbdev.test import test_nb`: pytest would collect it as a test
from nbdev.config import get_config

ROOT = Path(__file__).resolve().parent.parent
CFG = get_config(path=ROOT)
NBS_PATH = Path(CFG.nbs_path)


def _notebooks():
    "The notebooks `nbdev_test` would run (as `nbdev.doclinks.nbglob` and `nbdev.test._keep_file` select them)"
    files = globtastic(NBS_PATH, file_glob='*.ipynb', skip_folder_re='^[_.]', skip_file_re='^[_.]',
                       recursive=CFG.recursive).map(Path)
    return [f.absolute() for f in sorted(files) if not (f.parent/'.notest').exists()]


NOTEBOOKS = _notebooks()


def test_found_notebooks():
    assert NOTEBOOKS, f'no notebooks found in {NBS_PATH}'


_RUN = """
import sys
from pathlib import Path
from nbdev import test as nbtest
ok, secs = nbtest.test_nb(Path(sys.argv[1]), skip_flags=sys.argv[2].split(), force_flags=sys.argv[3].split(), basepath=sys.argv[4])
sys.exit(0 if ok else 1)
"""


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[f.relative_to(NBS_PATH).as_posix() for f in NOTEBOOKS])
def test_notebook(nb, request):
    # Each notebook runs in its own Python process, as `nbdev_test` runs them: notebooks patch classes
    # (fastai's `@patch`), which must not leak from one notebook into the next.
    skip_flags = CFG.tst_flags
    force_flags = request.config.getoption('flags')
    env = dict(os.environ, IN_TEST='1')
    r = subprocess.run([sys.executable, '-c', _RUN, str(nb), skip_flags, force_flags, str(CFG.config_path)],
                       cwd=NBS_PATH, env=env, capture_output=True, text=True)
    assert r.returncode == 0, f'{nb.name} failed:\n{r.stderr[-6000:]}'
