"""Bad input, as a hostile but ordinary user gives it (issue 29): every probe ends in a clear error (exit code 2, the option
or file named, no traceback) or a correct result, and earlier results survive. Tiny settings: the whole file runs in about a minute."""
import json, os, shutil, signal, subprocess, sys, time, warnings
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
