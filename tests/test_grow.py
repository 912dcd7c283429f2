"Tests of `progresize.grow` from outside the notebook: `LatentAE` growth (weights kept, fade-in, groups, `grow_fit`) and `GrowAE` growth (function kept at insertion, Adam state, fades, recipes)."
import warnings
warnings.filterwarnings('ignore', message='.*torch.jit.script.*')

import pytest
import torch
import torch.nn.functional as F
from torch import nn
import fastcore.test as fct
from fastai.callback.core import Callback
from fastai.torch_core import set_seed

import progresize.grow as pg
from progresize.data import ae_dls, resize_batch
from progresize.models import LatentAE, UpBlock, ConvAE, latentae_splitter, resize_to, ae_loss
from progresize.train import ae_learner
from progresize.grow import init_block, FadeSlot, FadeHead, end_fade, grow, FadeIn, valid_scores, grow_fit
from copy import deepcopy
from progresize.grow import (GrowAE, down_block, up_block, to_rgb, up2, growae_splitter, grow_learner, rebuild_opt,
                             valid_psnr, grow_level, FadeAlpha, GrowStages, fit_grown, psnr_each, grow_run)


def tiny(size=8): return LatentAE(size=size, latent=16, width=8, enc_widths=(8,))
def ids(ps): return {id(p) for p in ps}


@pytest.fixture(scope='module')
def tdls():
    set_seed(0, reproducible=True)
    return ae_dls(size=32, bs=8, max_images=32, valid_size=32)


def test_exports():
    for name in ['init_block', 'FadeSlot', 'FadeHead', 'end_fade', 'grow', 'FadeIn', 'valid_scores', 'grow_fit']:
        assert name in pg.__all__


def test_init_block():
    feats = torch.rand(4, 8, 6, 6)
    nearest = F.interpolate(feats, scale_factor=2, mode='nearest')
    bilinear = F.interpolate(feats, scale_factor=2, mode='bilinear', align_corners=False)
    blk = init_block(UpBlock(8, 8), 'identity', feats)
    fct.test_close(blk.eval()(feats), nearest, eps=1e-5)
    fct.test_close(blk.train()(feats), nearest, eps=1e-4)
    blk = init_block(UpBlock(8, 8), 'smooth', feats).eval()
    fct.test_close(blk(feats)[..., 1:-1, 1:-1], bilinear[..., 1:-1, 1:-1], eps=1e-5)
    with pytest.raises(ValueError, match="'identity', 'smooth' or 'random'"): init_block(UpBlock(8, 8), 'zeros')


@pytest.mark.parametrize('fade', [False, True])
def test_output_size_after_each_growth(fade):
    m, x = tiny(8), torch.rand(2, 3, 32, 32)
    for size in (16, 32, 64):
        grow(m, fade=fade, xb=x)
        fct.test_eq(m.out_size, size)
        fct.test_eq(m.eval()(x).shape, (2, 3, size, size))


def test_weights_kept_and_identity_start():
    set_seed(0)
    m, x = tiny(8), torch.rand(4, 3, 32, 32)
    before, old = m.eval()(x), {k: v.clone() for k, v in m.state_dict().items()}
    grow(m, xb=x)
    sd = m.state_dict()
    for k, v in old.items(): fct.test_eq(sd[k], v)
    fct.test_close(m.eval()(x), F.interpolate(before, scale_factor=2, mode='nearest'), eps=1e-5)


def test_fade_alpha0_is_upsampled_old_output():
    set_seed(0)
    m, x = tiny(8), torch.rand(4, 3, 32, 32)
    before = m.eval()(x)
    grow(m, fade=True, init='random', xb=x)
    fct.test_eq(m.eval()(x), resize_to(before, torch.empty(1, 1, 16, 16)))
    new = m.head.head(m.head.block(pg._features(m, x)))
    m.head.alpha = 1.
    fct.test_eq(m(x), new)
    end_fade(m)
    fct.test_eq(m(x), new)
    fct.test_eq([type(m.blocks[-1]), type(m.head)], [UpBlock, nn.Sequential])


@pytest.mark.parametrize('fade', [False, True])
def test_groups_after_growth(fade):
    m = grow(tiny(8), fade=fade, xb=torch.rand(2, 3, 8, 8))
    groups = latentae_splitter(m)
    fct.test_eq(len(groups), 3)
    fct.test_eq(ids(groups[2]), ids(m.blocks[-1].parameters()) | ids(m.head.parameters()))
    fct.test_eq(ids(groups[0]) | ids(groups[1]) | ids(groups[2]), ids(m.parameters()))
    end_fade(m)
    fct.test_eq(ids(latentae_splitter(m)[2]), ids(m.blocks[-1].parameters()) | ids(m.head.parameters()))


def _trained_then_grown(tdls):
    "A tiny LatentAE trained one epoch at 8 px, then grown to 16 px (the loader resized to match)"
    set_seed(0, reproducible=True)
    tdls.train.resizer.size = 8
    learn = ae_learner(tdls, tiny(8), train_bn=False)
    learn.fit(1, 1e-2)
    tdls.train.resizer.size = 16
    grow(learn)
    return learn


def test_learner_freeze_after_growth(tdls):
    learn = _trained_then_grown(tdls)
    fct.test_eq(ids(p for g in learn.opt.param_lists for p in g), ids(learn.model.parameters()))
    fct.test_eq(len(learn.opt.param_lists), 3)
    fct.test_eq(ids(learn.opt.param_lists[-1]), ids(learn.model.blocks[-1].parameters()) | ids(learn.model.head.parameters()))
    learn.freeze()
    frozen, new = [p for g in learn.opt.param_lists[:2] for p in g], list(learn.opt.param_lists[-1])
    snap_frozen, snap_new = [p.detach().clone() for p in frozen], [p.detach().clone() for p in new]
    learn.fit(1, 1e-2)
    assert all(p.grad is None and not p.requires_grad for p in frozen)
    for p, s in zip(frozen, snap_frozen): fct.test_eq(p, s)
    assert all(not torch.equal(p, s) for p, s in zip(new, snap_new))


def test_training_after_growth_lowers_loss(tdls):
    learn = _trained_then_grown(tdls)
    xb = resize_batch(tdls.train.data[:16].float()/255, 16)
    def loss():
        m = learn.model.eval()
        with torch.no_grad(): r = ae_loss(m(xb), xb).item()
        m.train()
        return r
    before = loss()
    learn.fit_one_cycle(4, 1e-2)
    assert loss() < before


class AlphaLog(Callback):
    order = FadeIn.order + 1
    def before_fit(self): self.alphas = []
    def after_batch(self):
        if self.training and isinstance(self.model.head, FadeHead): self.alphas.append(self.model.head.alpha)


def test_fadein_ramp_and_end(tdls):
    set_seed(0, reproducible=True)
    tdls.train.resizer.size = 8
    learn = ae_learner(tdls, tiny(8), train_bn=False, cbs=AlphaLog())
    learn.fit(1, 1e-2)
    tdls.train.resizer.size = 16
    grow(learn, fade=True, pct=0.5)
    valid_scores(learn)
    learn.lr_find(num_it=5, show_plot=False, suggest_funcs=None)
    fct.test_eq([type(learn.model.head), learn.model.head.alpha], [FadeHead, 0.])
    learn.fit(2, 1e-3)
    fct.test_close(learn.alpha_log.alphas, [0, .25, .5, .75, 1, 1, 1, 1])
    fct.test_eq([type(learn.model.head), learn.model.out_size], [nn.Sequential, 16])
    fct.test_eq(ids(p for g in learn.opt.param_lists for p in g), ids(learn.model.parameters()))
    fct.test_eq(len([cb for cb in learn.cbs if isinstance(cb, FadeIn)]), 0)


def test_valid_scores_keeps_clock(tdls):
    learn = ae_learner(tdls, tiny(8))
    learn.fit(1, 1e-3)
    n = len(learn.clock.history)
    s = valid_scores(learn)
    fct.test_eq(len(learn.clock.history), n)
    fct.test_eq(list(s), ['valid_loss', 'valid_psnr', 'valid_ssim'])


@pytest.mark.parametrize('fade', [False, True])
def test_grow_fit(tdls, fade):
    set_seed(0, reproducible=True)
    learn = ae_learner(tdls, tiny(8))
    with learn.no_bar(), learn.no_logging():
        grow_fit(learn, sizes=(4, 8, 16, 32), epochs_per_size=(2, 1, 1), lr=1e-2, grown_lr=1e-3, fade=fade)
    h = learn.history_df()
    fct.test_eq(h['size'].tolist(), [8, 8, 16, 16, 32, 32])
    fct.test_eq(h.phase.tolist(), ['first size']*2 + ['frozen', 'unfrozen']*2)
    assert h.train_seconds.is_monotonic_increasing
    fct.test_eq([learn.model.out_size, learn.train_bn, type(learn.model.head)], [32, False, nn.Sequential])
    fct.test_eq([g['size'] for g in learn.growth_log], [16, 32])


def test_grow_errors(tdls):
    with pytest.raises(TypeError, match='needs a LatentAE'): grow(ConvAE())
    learn = ae_learner(tdls, tiny(16))
    with pytest.raises(ValueError, match='twice the one before'): grow_fit(learn, sizes=(16, 64))
    with pytest.raises(ValueError, match="include the model's out_size 16"): grow_fit(learn, sizes=(8, 32))
    with pytest.raises(ValueError, match='2 entries for 3 sizes'): grow_fit(learn, sizes=(16, 32, 64), epochs_per_size=(1, 1))


# ---- GrowAE: a fixed-output autoencoder that grows at both ends ----


def test_growae_exports():
    for name in ['GrowAE', 'growae_splitter', 'grow_learner', 'rebuild_opt', 'valid_psnr', 'grow_level', 'FadeAlpha',
                 'GrowStages', 'fit_grown', 'psnr_each', 'grow_run']:
        assert name in pg.__all__


@pytest.mark.parametrize('size', [8, 16, 32])
def test_growae_shapes_and_no_batchnorm(size):
    m = GrowAE(size, width=8)
    fct.test_eq(m(torch.rand(2, 3, size, size)).shape, (2, 3, size, size))
    fct.test_eq(m(torch.rand(2, 3, 4*size, 4*size)).shape, (2, 3, 4*size, 4*size))
    fct.test_eq(m.encode(torch.rand(2, 3, 64, 64)).shape, (2, 4, 4, 4))
    assert not any(isinstance(l, nn.modules.batchnorm._NormBase) for l in m.modules())
    with pytest.raises(ValueError, match='got 12'): GrowAE(12)


@pytest.mark.parametrize('size', [8, 16, 32])
def test_growae_growth_preserves_function(size):
    set_seed(size)
    small = GrowAE(size, width=16).eval()
    big = deepcopy(small).grow().eval()
    x, z = torch.rand(4, 3, 2*size, 2*size), torch.randn(4, 4, 4, 4)
    with torch.no_grad():
        assert (big.encode(x) - small.encode(x)).abs().max() < 1e-5          # encoder: the old path reads x at `size`
        assert (big.decode(z) - up2(small.decode(z))).abs().max() < 1e-5     # decoder: the new to_rgb adds zero
        assert (big(x) - small(x)).abs().max() < 1e-5                        # whole model: the same output
    fct.test_eq([big.size, big.fading, big.alpha], [2*size, True, 0.])


def test_growae_weights_kept_and_end_fade():
    small = GrowAE(16, width=8)
    big = deepcopy(small).grow()
    new = dict(big.named_parameters())
    for k, v in small.named_parameters(): fct.test_eq(new[k.replace('from_rgb', 'old_rgb')], v)
    big.end_fade()
    fct.test_eq([big.fading, big.alpha], [False, 1.])
    assert not any(k.startswith('old_rgb') for k, _ in big.named_parameters())


def test_growae_splitter():
    m = GrowAE(8, width=8).grow()
    g = growae_splitter(m)
    fct.test_eq(len(g), 3)
    fct.test_eq(sum(len(o) for o in g), len(list(m.parameters())))
    fct.test_eq(ids(g[0]) | ids(g[1]) | ids(g[2]), ids(m.parameters()))
    fct.test_eq(ids(g[2]), ids(m.from_rgb.parameters()) | ids(m.downs[-1].parameters()) | ids(m.ups[-1].parameters()) | ids(m.to_rgbs[-1].parameters()))
    assert ids(m.old_rgb.parameters()) <= ids(g[0])


def _grown_learner(tdls, keep_state=True):
    set_seed(0, reproducible=True)
    tdls.train.resizer.size = 8
    learn = grow_learner(tdls, GrowAE(8, width=8))
    with learn.no_bar(), learn.no_logging(): learn.fit(2, 3e-3)
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
    fct.test_close(valid_psnr(learn.model, tdls.valid), learn.validate()[1], eps=1e-4)
    learn, old, _, _ = _grown_learner(tdls, keep_state=False)
    assert not any('grad_avg' in learn.opt.state[p] for p in old)


def test_grow_level_errors(tdls):
    with pytest.raises(TypeError, match='needs a Learner on a GrowAE'): grow_level(ae_learner(tdls, ConvAE()))


class AlphaTrace(Callback):
    order = FadeAlpha.order + 1
    def before_fit(self): self.alphas = []
    def before_batch(self):
        if self.training: self.alphas.append(self.model.alpha)


def test_fade_alpha(tdls):
    learn, *_ = _grown_learner(tdls)
    trace = AlphaTrace()
    with learn.no_bar(), learn.no_logging(): learn.fit(2, 1e-3, cbs=[FadeAlpha(0.5), trace])
    fct.test_close(trace.alphas, [0, .25, .5, .75, 1, 1, 1, 1])
    fct.test_eq(learn.model.fading, False)


def test_grow_stages(tdls):
    set_seed(0, reproducible=True)
    tdls.train.resizer.size = 8
    learn = grow_learner(tdls, GrowAE(8, width=8), cbs=AlphaTrace())
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(3, 3e-3, cbs=GrowStages([1, 1, 1], fade=0.5))
    fct.test_close(learn.alpha_trace.alphas, [1]*4 + [0, .5, 1, 1]*2)
    fct.test_eq(learn.clock.sizes, [8]*4 + [16]*4 + [32]*4)
    fct.test_eq([learn.model.size, learn.model.fading], [32, False])


@pytest.mark.parametrize('recipe', ['seed', 'fade', 'one_cycle'])
def test_fit_grown(tdls, recipe):
    set_seed(0, reproducible=True)
    tdls.train.resizer.size = 8
    learn = grow_learner(tdls, GrowAE(8, width=8))
    with learn.no_bar(), learn.no_logging(): fit_grown(learn, [1, 2, 2], 3e-3, recipe)
    fct.test_eq([learn.model.size, learn.model.fading, len(learn.clock.history)], [32, False, 5])
    fct.test_eq([g['size'] for g in learn.growth_log], [16, 32])
    assert all(abs(g['psnr_after'] - g['psnr_before']) < 0.1 for g in learn.growth_log)
    if recipe == 'seed':
        lrs = [h['lr'] for h in learn.opt.hypers]
        assert lrs == sorted(lrs) and lrs[2] > lrs[0]
    with pytest.raises(ValueError, match="'seed', 'fade' or 'one_cycle'"): fit_grown(learn, [1, 1], recipe='grow')


def test_grow_run():
    r = grow_run('fade', 0, epochs=(1, 1, 1), width=8, bs=8, max_images=32)
    fct.test_eq([r['recipe'], r['size'], len(r['history']), len(r['growth_log']), len(r['each'])], ['fade', 32, 3, 2, 8])
    fct.test_close(sum(r['each'])/len(r['each']), r['final_psnr'], eps=1e-3)
