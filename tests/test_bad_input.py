"""Bad input, as a hostile but ordinary user gives it (issue 29): every probe ends in a clear error (exit code 2, the option
or file named, no traceback) or a correct result, and earlier results survive. Tiny settings. Most probes call
`progresize.cli.main(argv)` in this process (what the command runs, without a new Python each time); a few run the
installed `progresize` script itself, as a user would: parse-time errors, undecodable data and SIGTERM."""
import contextlib, io, json, os, shutil, signal, subprocess, sys, time, types, warnings
from pathlib import Path
warnings.filterwarnings('ignore', message='.*torch.jit.script.*')

import pytest
import fastcore.test as fct
import numpy as np
import PIL.Image
import torch
from fastai.callback.core import Callback, CancelFitException
from fastai.torch_core import set_seed

from progresize.data import ae_dls, sample_images
from progresize.models import ConvAE
from progresize.train import ae_learner
from progresize.progressive import SizeSchedule, ProgressiveResize, ProgressiveLoaders, item_train_dl
from progresize.grow import GrowAE, FadeAlpha, fit_grown, grow_level
from progresize.test_utils import tiny_dls, tiny_learner


# ---------------------------------------------------------------- the library: a fit that fails leaves nothing changed
class Interrupt(Callback):
    "Raise `exc` at the `at`-th training batch it sees, counted across fits (a Ctrl-C by default)"
    order = 99
    def __init__(self, at=1, exc=KeyboardInterrupt): self.at, self.exc, self.n = at, exc, 0
    def after_batch(self):
        if not self.training: return
        self.n += 1
        if self.n > self.at: raise self.exc('stopped by the test')


def _fails(learn, n, exc, **kw):
    if exc is CancelFitException:  # fastai catches it: the fit returns
        with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(n, 3e-3, **kw)
        return
    with pytest.raises(exc), learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(n, 3e-3, **kw)


@pytest.mark.parametrize('exc', [KeyboardInterrupt, RuntimeError, CancelFitException])
def test_progressive_resize_restores(exc):
    set_seed(0, reproducible=True)
    dls = ae_dls('sample', size=32, bs=8, max_images=16)
    learn = ae_learner(dls, ConvAE(), cbs=ProgressiveResize(SizeSchedule.stages([(16, 2), (32, 1)], stride=8)))
    _fails(learn, 3, exc, cbs=Interrupt(1, exc))
    fct.test_eq(dls.train.resizer.size, 32)  # not left at 16 px
    plain = ae_learner(dls, ConvAE())  # the next fit on the same loaders, with no callback, trains at the full size
    with plain.no_bar(), plain.no_logging(): plain.fit(1, 1e-3)
    fct.test_eq(set(plain.clock.sizes), {32})


@pytest.mark.parametrize('exc', [KeyboardInterrupt, RuntimeError])
def test_progressive_loaders_restore(exc):
    set_seed(0, reproducible=True)
    dls = ae_dls('sample', size=32, bs=8, max_images=16, resize='item')
    dl0 = dls.train
    make = lambda s: item_train_dl(size=s, bs=8, max_images=16, valid_size=32)
    learn = ae_learner(dls, ConvAE(), cbs=ProgressiveLoaders(SizeSchedule.stages([(16, 2), (32, 1)], stride=8), make))
    _fails(learn, 3, exc, cbs=Interrupt(1, exc))
    assert dls.train is dl0 and learn.dls.train is dl0


def test_fade_alpha_restores():
    dls = tiny_dls()
    learn = tiny_learner(dls, epochs=1)
    grow_level(learn)
    _fails(learn, 2, KeyboardInterrupt, cbs=[FadeAlpha(0.5), Interrupt(1)])
    fct.test_eq([learn.model.fading, learn.model.alpha], [True, 0.])  # the fade as the fit found it


@pytest.mark.parametrize('recipe', ['fade', 'one_cycle'])
def test_fit_grown_restores(recipe):
    dls = tiny_dls()
    learn = tiny_learner(dls)
    dls.train.resizer.size = 32
    learn.add_cb(Interrupt(5))
    with pytest.raises(KeyboardInterrupt), learn.no_bar(), learn.no_logging(): fit_grown(learn, [1, 1, 1], recipe=recipe)
    fct.test_eq(dls.train.resizer.size, 32)


def test_fit_grown_past_stored_size():
    learn = tiny_learner(tiny_dls())
    fct.test_fail(lambda: fit_grown(learn, [1, 1, 1, 1]), contains='data is stored at 32 px')


def test_final_size_reached_however_short():
    "Three batches of composer's default: the last one is at the final size (before: 16, 16, 24 px)"
    set_seed(0, reproducible=True)
    dls = ae_dls('sample', size=32, bs=8, max_images=24)
    learn = ae_learner(dls, ConvAE(), cbs=ProgressiveResize(SizeSchedule.composer(32, size_increment=8, stride=8)))
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, 3e-3)
    fct.test_eq(len(learn.clock.sizes), 3)
    fct.test_eq(learn.clock.sizes[-1], 32)


def test_library_errors_name_the_setting():
    fct.test_fail(lambda: ae_dls('sample', bs=0), contains='bs must be at least 1, got 0')
    fct.test_fail(lambda: ae_dls('sample', max_images=0), contains='max_images must be at least 1')
    from progresize.config import CompareConfig
    fct.test_fail(lambda: CompareConfig(lr=-0.01), contains='--lr -0.01: must be above 0')
    fct.test_fail(lambda: CompareConfig(recal=-1), contains='--recal -1')


def test_narrow_image_warns(tmp_path):
    from progresize.data import decode_images
    rng = np.random.default_rng(0)
    PIL.Image.fromarray(rng.integers(0, 255, (20, 2000, 3), dtype=np.uint8)).save(tmp_path/'wide.png')
    with pytest.warns(UserWarning, match='far from square'): decode_images([tmp_path/'wide.png'], 16)


# ---------------------------------------------------------------- the command line: one prepared --out, every probe against it
def _script():
    exe = Path(sys.executable).parent/'progresize'
    return str(exe) if exe.exists() else shutil.which('progresize')


def _images(folder, n=50, seed=0):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for i in range(n):
        a = np.clip(rng.normal(128, 40, (1, 1, 3)) + rng.normal(0, 30, (40, 40, 3)), 0, 255).astype(np.uint8)
        PIL.Image.fromarray(a).save(folder/f'{i:03d}.png')
    return folder


def base(data): return ['compare', '--data', str(data), '--epochs', '1', '--budgets', '1', '--max-images', '40', '--size', '32', '--bs', '8', '--strategies', 'baseline']


def cli(*args, **kw):
    "`progresize ARGS` in a new process, as a user runs it"
    return subprocess.run([_script(), *map(str, args)], capture_output=True, text=True, timeout=300, **kw)


def run_main(*args):
    "`progresize ARGS` in this process, through `progresize.cli.main`: the exit status and what it printed, like `cli`"
    from progresize.cli import main
    out, err, term = io.StringIO(), io.StringIO(), signal.getsignal(signal.SIGTERM)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try: code = main([str(a) for a in args])
            except SystemExit as e: code = e.code  # argparse's own errors
    finally: signal.signal(signal.SIGTERM, term)  # the command sets its own handler
    return types.SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


@pytest.fixture(scope='module')
def prepared(tmp_path_factory):
    "A folder of 50 images and one comparison of it (one run saved)"
    root = tmp_path_factory.mktemp('bad')
    data, out = _images(root/'data'), root/'out'
    r = run_main(*base(data), '--out', out)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return data, out


def _runs(out): return {f.name: f.read_text() for f in sorted((out/'runs').glob('*.json'))}


def clear_error(r, *names):
    "Exit code 2, no traceback, each of `names` in the message"
    assert r.returncode == 2, (r.returncode, r.stdout[-1500:], r.stderr[-1500:])
    assert 'Traceback' not in r.stderr + r.stdout, r.stderr[-3000:]
    for n in names: assert n in r.stderr, (n, r.stderr[-1500:])


PARSE_PROBES = [  # (extra options, what the message must name): refused at parse time, nothing imported or touched
    (['--bs', '0'], '--bs 0: must be at least 1'), (['--bs', '-4'], '--bs -4'), (['--code', '0'], '--code 0'),
    (['--lr=-0.01'], '--lr -0.01: must be above 0'), (['--lr', '0'], '--lr 0'), (['--max-images=-5'], '--max-images -5'),
    (['--max-images', '0'], '--max-images 0'), (['--recal=-1'], '--recal -1'), (['--epochs', '0'], '--epochs 0'),
    (['--size', '4'], '--size 4'), (['--crop', '0'], '--crop 0'), (['--budgets', '0,1'], '--budgets 0'), (['--budgets', '1.5'], '--budgets 1.5'),
    (['--seeds=-1'], '--seeds -1'), (['--bs', 'x'], '--bs: expected an integer')]


def test_parse_time_probes_in_the_shell(prepared):
    "A few of them through the installed script: exit code 2 and one line, no traceback, nothing touched"
    data, out = prepared
    before = _runs(out)
    for extra, named in [PARSE_PROBES[0], PARSE_PROBES[3], PARSE_PROBES[-1]]: clear_error(cli(*base(data), *extra, '--out', out), named)
    fct.test_eq(_runs(out), before)


CHECK_PROBES = [  # refused by the config's and the comparison's checks, before `--out` is touched
    (['--size', '65536'], '--size 65536: a training batch of 8 images'), (['--budgets', '1,1'], '--budgets 1,1: 1 given twice'),
    (['--strategies', 'baseline,baseline'], 'baseline given twice'),
    (['--strategies', 'baseline,progressive', '--schedule', 'constant:5'], 'constant takes no numbers'),
    (['--strategies', 'baseline,progressive', '--schedule', 'ffcv:0.5,0.9,0.5'], '0 <= START <= END <= 1'),
    (['--strategies', 'baseline,progressive', '--schedule', 'composer:0.5,0.5,0.2,7'], 'takes at most 3 numbers')]


@pytest.mark.parametrize('extra, named', PARSE_PROBES + CHECK_PROBES)
def test_refused_before_out_is_touched(prepared, extra, named):
    "Refused at parse time (PARSE_PROBES) or by the config's and the comparison's checks (CHECK_PROBES), the earlier runs untouched"
    data, out = prepared
    before = _runs(out)
    clear_error(run_main(*base(data), *extra, '--out', out), named)
    fct.test_eq(_runs(out), before)


def test_undecodable_data_keeps_runs(prepared, tmp_path):
    "Text files named .jpg: refused with the folder named, and the earlier runs are still there (before: runs/ emptied)"
    data, out = prepared
    bad = tmp_path/'bad'; bad.mkdir()
    for i in range(10): (bad/f'{i}.jpg').write_text('not an image')
    before = _runs(out)
    clear_error(cli(*base(data)[:2], bad, *base(data)[3:], '--out', out), '--data', 'cannot be read')
    fct.test_eq(_runs(out), before)
    assert not (out/'runs.earlier').exists()


@pytest.mark.parametrize('content, named', [('[1, 2]', 'is not a run of progresize compare'), ('{"strategy": "base', 'broken JSON')])
def test_bad_run_file(prepared, tmp_path, content, named):
    data, out = prepared
    o = tmp_path/'out'; shutil.copytree(out, o)
    f = next((o/'runs').glob('*.json')); f.write_text(content)
    for flag in ('--resume', '--reuse'):
        args = [*base(data), '--out', o, '--resume'] if flag == '--resume' else [*base(data), '--out', tmp_path/'other', '--reuse', o]
        clear_error(run_main(*args), str(f.name), named, 'delete it')
    fct.test_eq(f.read_text(), content)


def test_resume_names_the_setting(prepared):
    data, out = prepared
    before = _runs(out)
    r = run_main(*base(data), '--lr', '0.001', '--out', out, '--resume')
    clear_error(r, '--lr: 0.003 there, 0.001 here')
    assert "'schedule'" not in r.stderr, r.stderr  # the setting, not the whole config
    fct.test_eq(_runs(out), before)


def test_resume_refuses_other_images(prepared, tmp_path):
    "The same --data path, other images: --resume and --reuse refuse (before: one frontier of old and new images)"
    data, out = prepared
    o, d2 = tmp_path/'out', tmp_path/'data'
    shutil.copytree(out, o); shutil.copytree(data, d2)
    clear_error(run_main(*base(d2), '--out', o, '--resume'), '--data: ')  # another folder: the setting named
    run = json.loads(next((o/'runs').glob('*.json')).read_text())
    for f in list(d2.glob('*.png'))[:3]: f.unlink()
    _images(d2, n=3, seed=1)
    run['data']['path'], run['config']['data'] = str(d2.resolve()), str(d2); next((o/'runs').glob('*.json')).write_text(json.dumps(run))
    clear_error(run_main(*base(d2), '--out', o, '--resume'), 'the images under --data')
    clear_error(run_main(*base(d2), '--out', tmp_path/'o2', '--reuse', o), 'trained on other images')


def test_rerun_sets_earlier_runs_aside(prepared, tmp_path):
    "A rerun without --resume: earlier runs go to runs.earlier, removed once the new run is saved; the run records its data and load"
    data, out = prepared
    o = tmp_path/'out'; shutil.copytree(out, o)
    r = run_main(*base(data), '--out', o)
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'moved to' in r.stdout and 'runs.earlier' in r.stdout, r.stdout
    assert not (o/'runs.earlier').exists()
    run = json.loads(next((o/'runs').glob('*.json')).read_text())
    fct.test_eq(run['data']['path'], str(data.resolve()))
    assert {'loadavg_before', 'cpu_per_wall', 'busy'} <= set(run['load'])
    res = json.loads((o/'results.json').read_text())
    assert res['data']['files'] == 50 and 'busy_runs' in res


def test_sigterm_says_what_was_kept(prepared, tmp_path):
    data, out = prepared
    p = subprocess.Popen([_script(), *map(str, base(data)), '--epochs', '30', '--out', str(tmp_path/'t')], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    while line.startswith('warning:') or 'runs.earlier' in line: line = p.stdout.readline()
    assert line.startswith('[1/1]'), line
    time.sleep(1); p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    fct.test_eq(p.returncode, 143)
    assert 'terminated (SIGTERM)' in err and '--resume' in err and 'Traceback' not in err, err
