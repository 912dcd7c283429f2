"Tests of `progresize.grow` from outside the notebook: `GrowAE` growth (function kept at insertion at both ends, weights kept, layer groups, Adam state, fades, recipes)."
import warnings
warnings.filterwarnings('ignore', message='.*torch.jit.script.*')

import pytest
import torch
from torch import nn
import fastcore.test as fct

import progresize.grow as pg
from progresize.models import ConvAE
from progresize.train import ae_learner
from progresize.grow import (GrowAE, down_block, up_block, to_rgb, up2, growae_splitter, rebuild_opt, valid_psnr,
                             grow_level, FadeAlpha, GrowStages, fit_grown, psnr_each, grow_run, best_recipe)
from progresize.test_utils import ids, check_partition, tiny_dls, tiny_learner, grown_pair, AlphaTrace


@pytest.fixture(scope='module')
def tdls(): return tiny_dls()


def test_exports():
    for name in ['GrowAE', 'growae_splitter', 'rebuild_opt', 'valid_psnr', 'grow_level', 'FadeAlpha',
                 'GrowStages', 'fit_grown', 'psnr_each', 'grow_run', 'best_recipe']:
        assert name in pg.__all__
    assert best_recipe in ('freeze_slice', 'fade', 'one_cycle')


@pytest.mark.parametrize('size', [8, 16, 32])
def test_shapes_and_no_batchnorm(size):
    m = GrowAE(size, width=8)
    fct.test_eq(m(torch.rand(2, 3, size, size)).shape, (2, 3, size, size))
    fct.test_eq(m(torch.rand(2, 3, 4*size, 4*size)).shape, (2, 3, 4*size, 4*size))
    fct.test_eq(m.encode(torch.rand(2, 3, 64, 64)).shape, (2, 4, 4, 4))
    assert not any(isinstance(l, nn.modules.batchnorm._NormBase) for l in m.modules())
    with pytest.raises(ValueError, match='got 12'): GrowAE(12)


def test_blocks():
    x = torch.rand(2, 8, 8, 8)
    fct.test_eq(down_block(8)(x).shape, (2, 8, 4, 4))
    fct.test_eq(up_block(8)(x).shape, (2, 8, 16, 16))
    fct.test_eq(to_rgb(8, zero=True)(x), torch.zeros(2, 3, 8, 8))


@pytest.mark.parametrize('size', [8, 16, 32])
def test_growth_preserves_function(size):
    small, big = grown_pair(size, seed=size)
    x, z = torch.rand(4, 3, 2*size, 2*size), torch.randn(4, 4, 4, 4)
    with torch.no_grad():
        assert (big.encode(x) - small.encode(x)).abs().max() < 1e-5          # encoder: the old path reads x at `size`
        assert (big.decode(z) - up2(small.decode(z))).abs().max() < 1e-5     # decoder: the new to_rgb adds zero
        assert (big(x) - small(x)).abs().max() < 1e-5                        # whole model: the same output
    fct.test_eq([big.size, big.fading, big.alpha], [2*size, True, 0.])


def test_weights_kept_and_end_fade():
    small, big = grown_pair(16, width=8)
    new = dict(big.named_parameters())
    for k, v in small.named_parameters(): fct.test_eq(new[k.replace('from_rgb', 'old_rgb')], v)
    big.end_fade()
    fct.test_eq([big.fading, big.alpha], [False, 1.])
    assert not any(k.startswith('old_rgb') for k, _ in big.named_parameters())


def test_splitter():
    m = GrowAE(8, width=8).grow()
    g = growae_splitter(m)
    fct.test_eq(len(check_partition(g, m)), 3)
    fct.test_eq(ids(g[2]), ids(m.from_rgb.parameters()) | ids(m.downs[-1].parameters()) | ids(m.ups[-1].parameters()) | ids(m.to_rgbs[-1].parameters()))
    assert ids(m.old_rgb.parameters()) <= ids(g[0])
    fct.test_is(GrowAE.splitter, growae_splitter)


def test_learner_slice_gives_new_level_highest_lr(tdls):
    learn = tiny_learner(tdls)
    fct.test_is(learn.splitter, growae_splitter)  # `ae_learner` finds `GrowAE.splitter`
    learn.model.grow(); learn.create_opt()
    learn.opt.set_hypers(lr=slice(1e-4, 1e-2))  # fastai spreads a `slice` over the groups
    lrs = [h['lr'] for h in learn.opt.hypers]
    fct.test_close(lrs, [1e-4, 1e-3, 1e-2])
    fct.test_eq(ids(learn.opt.param_lists[-1]), ids(growae_splitter(learn.model)[2]))


def _grown_learner(tdls, keep_state=True):
    learn = tiny_learner(tdls, epochs=2)
    old = list(learn.model.parameters())
    moments = {id(p): learn.opt.state[p]['grad_avg'].clone() for p in old}
    rec = grow_level(learn, keep_state)
    return learn, old, moments, rec


def test_grow_level_keeps_adam_state_and_psnr(tdls):
    learn, old, moments, rec = _grown_learner(tdls)
    fct.test_eq([learn.model.size, tdls.train.resizer.size], [16, 16])
    fct.test_eq(ids(p for pg in learn.opt.param_lists for p in pg), ids(learn.model.parameters()))
    assert all(torch.equal(learn.opt.state[p]['grad_avg'], moments[id(p)]) for p in old)
    fct.test_close(rec['psnr_after'], rec['psnr_before'], eps=1e-4)
    with learn.no_bar(): fct.test_close(valid_psnr(learn.model, tdls.valid), learn.validate()[1], eps=1e-4)
    learn, old, _, _ = _grown_learner(tdls, keep_state=False)
    assert not any('grad_avg' in learn.opt.state[p] for p in old)


def test_rebuild_opt_without_opt(tdls):
    learn = tiny_learner(tdls)
    assert learn.opt is None
    rebuild_opt(learn)
    fct.test_eq(ids(p for pg in learn.opt.param_lists for p in pg), ids(learn.model.parameters()))


def test_grow_level_errors(tdls):
    with pytest.raises(TypeError, match='needs a Learner on a GrowAE'): grow_level(ae_learner(tdls, ConvAE()))


def test_fade_alpha(tdls):
    learn, *_ = _grown_learner(tdls)
    trace = AlphaTrace()
    with learn.no_bar(), learn.no_logging(): learn.fit(2, 1e-3, cbs=[FadeAlpha(0.5), trace])
    fct.test_close(trace.alphas, [0, .25, .5, .75, 1, 1, 1, 1])
    fct.test_eq(learn.model.fading, False)


def test_grow_stages(tdls):
    learn = tiny_learner(tdls, cbs=AlphaTrace())
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(3, 3e-3, cbs=GrowStages([1, 1, 1], fade=0.5))
    fct.test_close(learn.alpha_trace.alphas, [1]*4 + [0, .5, 1, 1]*2)
    fct.test_eq(learn.clock.sizes, [8]*4 + [16]*4 + [32]*4)
    fct.test_eq([learn.model.size, learn.model.fading], [32, False])


@pytest.mark.parametrize('recipe', ['freeze_slice', 'fade', 'one_cycle'])
def test_fit_grown(tdls, recipe):
    learn = tiny_learner(tdls)
    with learn.no_bar(), learn.no_logging(): fit_grown(learn, [1, 2, 2], 3e-3, recipe)
    fct.test_eq([learn.model.size, learn.model.fading, len(learn.clock.history)], [32, False, 5])
    fct.test_eq([g['size'] for g in learn.growth_log], [16, 32])
    assert all(abs(g['psnr_after'] - g['psnr_before']) < 0.1 for g in learn.growth_log)
    if recipe == 'freeze_slice':
        lrs = [h['lr'] for h in learn.opt.hypers]
        assert lrs == sorted(lrs) and lrs[2] > lrs[0]  # `slice`: the newest level has the highest rate
    with pytest.raises(ValueError, match="'freeze_slice', 'fade' or 'one_cycle'"): fit_grown(learn, [1, 1], recipe='grow')


def test_grow_run():
    r = grow_run('fade', 0, epochs=(1, 1, 1), width=8, bs=8, max_images=32)
    fct.test_eq([r['recipe'], r['size'], len(r['history']), len(r['growth_log']), len(r['each'])], ['fade', 32, 3, 2, 8])
    fct.test_close(sum(r['each'])/len(r['each']), r['final_psnr'], eps=1e-3)
    fct.test_eq(len(psnr_each(GrowAE(8, width=8), tiny_dls().valid)), 8)
