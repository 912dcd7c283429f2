"The `progresize` console script, run as a user would run it (needs `pip install -e .`)."
import shutil, subprocess, sys
from pathlib import Path

import fastcore.test as fct
import progresize


def _script():
    exe = Path(sys.executable).parent/'progresize'
    found = str(exe) if exe.exists() else shutil.which('progresize')
    assert found, 'no `progresize` command: install the package with `pip install -e ".[dev]"`'
    return found


def _run(*args):
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def test_help():
    r = _run(_script(), '--help')
    fct.test_eq(r.returncode, 0)
    assert r.stdout.startswith('usage: progresize'), r.stdout
    assert 'subcommands' in r.stdout, r.stdout


def test_module_help():
    r = _run(sys.executable, '-m', 'progresize.cli', '--help')
    fct.test_eq(r.returncode, 0)
    assert r.stdout.startswith('usage: progresize'), r.stdout


def test_version():
    r = _run(_script(), '--version')
    fct.test_eq(r.returncode, 0)
    fct.test_eq(r.stdout.strip(), f'progresize {progresize.__version__}')


def test_bad_flag():
    r = _run(_script(), '--no-such-flag')
    fct.test_ne(r.returncode, 0)
    assert 'Traceback' not in r.stderr, r.stderr
    assert 'usage: progresize' in r.stderr, r.stderr
