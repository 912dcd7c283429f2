"The `progresize` console script, run as a user would run it (needs `pip install -e .`)."
import json, shutil, subprocess, sys
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


def test_compare_plain_progress(tmp_path):
    "Output to a file or a pipe gets plain lines (one per run, elapsed and time left), not fastai's carriage-return bars; then --reuse of those runs"
    out = tmp_path/'out'
    r = subprocess.run([_script(), 'compare', '--quick', '--out', str(out)], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert '\r' not in r.stdout and 'train_loss' not in r.stdout, r.stdout  # neither bars nor fastai's per-epoch table
    lines = [l for l in r.stdout.splitlines() if not l.startswith('warning: the machine is busy')]  # a warning when other jobs run
    assert lines[0] == '[1/4] baseline, seed 0, budget 0.5 (1 epochs)', lines[0]
    assert lines[2].startswith('[2/4] progressive, seed 0, budget 0.5 (1 epochs), about ') and lines[2].endswith(' min to go'), lines[2]
    assert sum('min elapsed' in l for l in lines) == 4
    res = json.loads((out/'results.json').read_text())
    assert set(res['frontier_speedup']) == {'progressive'} and 'mean_colour' in res['references']
    assert f"Q = {res['q_psnr']['progressive']:.2f} dB reached on" in r.stdout
    closing = r.stdout.split('min elapsed')[-1].split('\n', 1)[1].strip()  # the lines after the last run: the verdict in words first
    assert closing.startswith('Progressive resizing ') and 'The recorded answer' in closing, closing[:500]
    assert closing.splitlines()[-1].startswith(f'Results in {out}/'), closing[-500:]
    report = (out/'results.md').read_text().splitlines()
    assert report[2].startswith('Progressive resizing '), report[:4]  # results.md opens with it too
    # a one-epoch comparison is two of those runs (budget 0.5 of 2 epochs): --reuse copies them and nothing trains
    one = tmp_path/'one'
    r = _run(_script(), 'compare', '--quick', '--epochs', '1', '--budgets', '1', '--out', str(one), '--reuse', str(out))
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert f'reusing 2 runs of {out}' in r.stdout and not any(l.startswith('[') for l in r.stdout.splitlines()), r.stdout
    res1 = json.loads((one/'results.json').read_text())
    fct.test_eq([(x['strategy'], x['final_psnr']) for x in res1['runs']], [(x['strategy'], x['final_psnr']) for x in res['runs'] if x['budget'] == 0.5])
    assert all(x['reused']['epochs'] == 2 for x in res1['runs'])
    r = _run(_script(), 'compare', '--quick', '--out', str(tmp_path/'two'), '--reuse', str(tmp_path/'nothing-here'))
    fct.test_eq(r.returncode, 2)
    assert 'nothing-here holds no runs/ folder' in r.stderr and 'Traceback' not in r.stderr, r.stderr
