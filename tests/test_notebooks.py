"""Run every notebook the way `nbdev_test` does, one pytest test per notebook.

Same notebooks (`nbs/**/*.ipynb` except names starting with `_` or `.`, and folders holding a `.notest` file),
same call (`nbdev.test.test_nb` with `skip_flags` from `tst_flags` in settings.ini, `force_flags` from
`pytest --flags "slow"`, `basepath` = repo root), same environment (`IN_TEST=1`, cwd = `nbs`; `test_nb` itself
then works from the notebook's folder). `test_nb` does not raise: it returns `(ok, seconds)` and writes the
traceback to stderr, which pytest shows for a failed notebook.
"""
import sys
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


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[f.relative_to(NBS_PATH).as_posix() for f in NOTEBOOKS])
def test_notebook(nb, monkeypatch, request):
    monkeypatch.setenv('IN_TEST', '1')
    monkeypatch.chdir(NBS_PATH)
    monkeypatch.setattr(sys, 'path', list(sys.path))  # test_nb inserts basepath; restore sys.path afterwards
    skip_flags = CFG.tst_flags.split()
    force_flags = request.config.getoption('flags').split()
    ok, secs = nbtest.test_nb(nb, skip_flags=skip_flags, force_flags=force_flags, basepath=CFG.config_path)
    assert ok, f'{nb.name} failed after {secs:.0f}s: see the traceback in "Captured stderr call"'
