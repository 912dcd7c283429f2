"`progresize compare --logger csv|tensorboard`: each run's epochs, training size and seconds included, in fastai's own loggers, read back."
import json, subprocess, sys
import pandas as pd
import pytest

from progresize.compare import make_schedule


def _compare(out, *args, before=''):
    "Run `progresize compare --quick --budgets 1 ARGS` in a fresh Python (after the code `before`); the finished process"
    code = before + 'import sys; from progresize.cli import main; sys.exit(main(sys.argv[1:]))'
    return subprocess.run([sys.executable, '-c', code, 'compare', '--quick', '--budgets', '1', '--quiet', '--out', str(out), *args],
                          capture_output=True, text=True, timeout=600)


def _expected_sizes(run):
    "The scheduled size of the last training batch of each epoch of `run`, from its schedule (not from what was trained)"
    n, nb = run['epochs'], run['rank_batches'][0] // run['epochs']
    sched = make_schedule(run['config']['schedule'], run['config']['size'], n)
    return [sched.size_at(((e + 1) * nb - 1) / (n * nb)) for e in range(n)]


def _runs(out): return {r: json.loads((out/'runs'/f'{r}-seed0-b1.json').read_text()) for r in ('baseline', 'progressive')}


@pytest.fixture(scope='module', params=['csv', 'tensorboard'])
def logged(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    p = _compare(out, '--logger', request.param)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-3000:]
    assert 'logs/' in p.stdout, p.stdout
    return request.param, out, _runs(out)


def _read(kind, out, run):
    "Per epoch of `run`'s log: (train_size, train_seconds)"
    if kind == 'csv':
        df = pd.read_csv(out/'logs'/f'{run}-seed0-b1.csv')
        assert list(df.columns) == ['epoch', 'train_loss', 'valid_loss', 'psnr', 'ssim', 'train_size', 'train_seconds', 'time'], df.columns
        return df.train_size.tolist(), df.train_seconds.tolist()
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    ea = EventAccumulator(str(out/'logs'/f'{run}-seed0-b1')).Reload()
    assert {'train_size', 'train_seconds', 'psnr', 'train_loss'} <= set(ea.Tags()['scalars']), ea.Tags()
    return [e.value for e in ea.Scalars('train_size')], [e.value for e in ea.Scalars('train_seconds')]


def test_logged_sizes(logged):
    kind, out, runs = logged
    assert sorted(p.name for p in (out/'logs').iterdir()) == [f'{r}-seed0-b1' + ('.csv' if kind == 'csv' else '') for r in ('baseline', 'progressive')]
    for name, run in runs.items():
        sizes, secs = _read(kind, out, name)
        assert sizes == [h['size'] for h in run['history']], (name, sizes)
        assert secs == pytest.approx([h['train_seconds'] for h in run['history']], abs=1e-3)
    assert _read(kind, out, 'baseline')[0] == [32] * runs['baseline']['epochs']
    prog = _read(kind, out, 'progressive')[0]
    assert prog == _expected_sizes(runs['progressive']) and prog[0] < prog[-1] == 32, prog  # the schedule's sizes, small first


def test_log_needs_tensorboard(tmp_path):
    "Without the tensorboard package, --logger tensorboard stops before any training or writing, saying what to install"
    p = _compare(tmp_path/'out', '--logger', 'tensorboard', before="import sys; sys.modules['tensorboard'] = None; ")
    assert p.returncode == 2, p.stdout + p.stderr
    assert 'pip install tensorboard' in p.stderr and 'Traceback' not in p.stderr, p.stderr
    assert not (tmp_path/'out').exists()
