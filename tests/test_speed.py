"Issue 28 from outside: a batch per size, crops at full scale, warm-up and compiles, through the library and the CLI."
import json, subprocess, sys
from functools import partial
from pathlib import Path

import fastcore.test as fct
import pytest
import torch
from progresize import compare as pc
from progresize.config import CompareConfig
from progresize.data import crop_batch, crop_offsets, ResizeBatch
from progresize.progressive import batch_for, lr_factor, compile_model, compile_count


def test_crop_offsets_per_image():
    "Every image of a batch gets its own window: identical images give different crops, input and target the same ones"
    torch.manual_seed(0)
    x = torch.arange(64 * 64, dtype=torch.float32).reshape(1, 1, 64, 64).repeat(16, 3, 1, 1)
    c = crop_batch(x, 16)
    corners = {(int(v) // 64, int(v) % 64) for v in c[:, 0, 0, 0]}  # the pixel value says where each window starts
    assert len(corners) > 8, corners
    o = crop_offsets(16, 64, 16)
    fct.test_eq(crop_batch(x, 16, o)[:, 0, 0, 0], (o[:, 0] * 64 + o[:, 1]).float())
    xc, yc = ResizeBatch(16, how='crop')((x, x.clone()))
    fct.test_eq(xc, yc)


def test_batch_rule_numbers():
    fct.test_eq([batch_for(s, 64, 32, 'pixels') for s in (16, 32, 48, 64)], [512, 128, 56, 32])
    fct.test_eq(batch_for(16, 64, 32, 'pixels', max_bs=100, n=600), 100)
    fct.test_eq([lr_factor(128, 32, s) for s in ('none', 'sqrt', 'linear')], [1, 2, 4])


def _cli(*args, cwd=None):
    exe = Path(sys.executable).parent/'progresize'
    return subprocess.run([str(exe), 'compare', *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def test_cli_batch_rule_and_crop(tmp_path):
    "`--batch pixels --resize crop --warmup`: the batch of each size recorded, as many images per epoch, FLOPs from the images"
    r = _cli('--quick', '--budgets', '1', '--batch', 'pixels', '--lr-scale', 'sqrt', '--resize', 'crop', '--warmup', '--out', str(tmp_path/'o'))
    assert r.returncode == 0, r.stderr[-2000:]
    base = json.loads((tmp_path/'o/runs/baseline-seed0-b1.json').read_text())
    prog = json.loads((tmp_path/'o/runs/progressive-seed0-b1.json').read_text())
    fct.test_eq(base['batch_per_size'], {'32': [16]})
    fct.test_eq(prog['batch_per_size'], {'16': [48], '32': [16]})  # 48 training images cap the 64 the rule asks for at 16 px
    fct.test_eq(sum(prog['images_per_size'].values()), sum(base['images_per_size'].values()))  # the budget is still counted in images
    fct.test_eq(prog['warmup_shapes'], [[16, 48], [32, 16]])
    flops = pc.train_flops('progressive', CompareConfig(**prog['config']), {int(k): v for k, v in prog['images_per_size'].items()})
    fct.test_close(prog['train_flops'], flops)
    md = (tmp_path/'o/results.md').read_text()
    assert 'crops at full scale, a batch per size (pixels rule, learning rate scaled sqrt)' in md, md[:3000]
    assert 'untimed training pass per (size, batch) shape' in md, md[:3000]


@pytest.mark.parametrize('args, msg', [
    (['--resize', 'zoom'], "--resize 'zoom': must be shrink or crop"),
    (['--batch', 'area'], "--batch 'area': must be fixed or pixels"),
    (['--lr-scale', 'cube'], "--lr-scale 'cube': must be none, sqrt or linear"),
    (['--buckets', '1'], '--buckets 1: must be at least 2'),
    (['--compile', '--strategies', 'latent,grow'], '--compile compiles ConvAE'),
])
def test_cli_refuses(tmp_path, args, msg):
    r = _cli('--quick', *args, '--out', str(tmp_path/'o'))
    assert r.returncode != 0
    assert msg in r.stderr, r.stderr[-1500:]
    assert not (tmp_path/'o').exists()


def test_compiles_once_per_shape(monkeypatch):
    "`--compile`: one graph per training shape and per validation shape, all built in the untimed warm-up"
    monkeypatch.setattr(pc, 'compile_model', partial(compile_model, backend='aot_eager'))  # no C++ compiler needed
    cfg = CompareConfig(strategies=('baseline', 'progressive'), quick=True, compile=True, batch='pixels', buckets=2)
    r = pc.run_strategy('progressive', cfg, 0, 1.)
    shapes = {tuple(s) for s in r['warmup_shapes']}
    fct.test_eq({(int(k), b) for k, bs in r['batch_per_size'].items() for b in bs}, shapes)  # the fit saw only warmed-up shapes
    fct.test_eq(r['compiles'], len(shapes) + 1)
    assert len(shapes) <= 2


def test_batch_crop_script(tmp_path):
    "benchmarks/batch_crop.py's variants run under `compare` and its results read back through `progresize.answer`"
    sys.path.insert(0, str(Path(__file__).parents[1]/'benchmarks'))
    import batch_crop
    from progresize.answer import speed_table
    saved = dict(pc.STRATEGIES)
    try:
        batch_crop.register_variants()
        cfg = CompareConfig(strategies=('baseline', 'progressive', 'crop', 'pixels'), quick=True, budgets=(0.5, 1.), **batch_crop.BASE)
        res = pc.compare(cfg, tmp_path/'o', quiet=True, log=lambda *a: None)
        runs = {r['strategy']: r for r in res['runs'] if r['budget'] == 1}
        fct.test_eq(runs['progressive']['batch_per_size'], {'16': [16], '24': [16], '32': [16]})  # per batch: the ramp passes 24 px
        fct.test_eq(runs['pixels']['batch_per_size'], {'16': [48], '32': [16]})
        fct.test_eq(runs['progressive']['config']['resize'], 'shrink')
        t = speed_table(res)
        assert all(w in t for w in ('shrink, fixed batch', 'crop at full scale', 'shrink, batch per size', 'equal-numbers thumbnail')), t
    finally: pc.STRATEGIES.clear(); pc.STRATEGIES.update(saved)
