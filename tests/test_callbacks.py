"Our callbacks in every `Learner` context: `lr_find`, `validate`, `get_preds`, `show_results`, `fine_tune`, a second fit, export/load."
import warnings
warnings.filterwarnings('ignore', message='.*torch.jit.script.*')

import pytest
import pandas as pd
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import fastcore.test as fct
import torch
from fastai.learner import load_learner
from fastai.data.core import Datasets
from fastai.callback.core import Callback
from fastai.torch_core import set_seed

from progresize.data import ae_dls, resize_batch
from progresize.models import ConvAE
from progresize.train import ae_learner
from progresize.progressive import SizeSchedule, ProgressiveResize, ProgressiveLoaders, RecalibrateBN, item_train_dl

STAGES = [(16, 2), (32, 1)]


class Sizes(Callback):
    "Record the input size of every training batch, whatever the context (`TrainClock` ignores `lr_find`)"
    order = 100
    def before_fit(self): self.seen = []
    def after_batch(self):
        if self.training: self.seen.append(self.xb[0].shape[-1])


def sched(): return SizeSchedule.stages(STAGES, stride=8)


def batch_learner(**kw):
    set_seed(0, reproducible=True)
    dls = ae_dls('sample', size=32, bs=8, max_images=16)
    return ae_learner(dls, ConvAE(), cbs=[ProgressiveResize(sched(), **kw), RecalibrateBN(1), Sizes()])


def item_learner(**kw):
    set_seed(0, reproducible=True)
    dls = ae_dls('sample', size=32, bs=8, max_images=16, resize='item')
    make = lambda s: item_train_dl(size=s, bs=8, max_images=16, valid_size=32)
    return ae_learner(dls, ConvAE(), cbs=[ProgressiveLoaders(sched(), make, **kw), Sizes()])


def quiet_fit(learn, n=3, **kw):
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(n, 3e-3, **kw)


@pytest.fixture(params=['batch', 'item'])
def make(request): return batch_learner if request.param == 'batch' else item_learner


def per_epoch(learn): return [h['size'] for h in learn.clock.history]


def test_contexts_before_any_fit(make):
    learn = make()
    with learn.no_bar():
        fct.test_eq(len(learn.validate()), 3)  # valid_loss, psnr, ssim
        preds, targs = learn.get_preds()
        fct.test_eq(preds.shape[-1], 32)
        learn.show_results(max_n=2); plt.close('all')
    fct.test_eq(learn.clock.history, [])


@pytest.mark.parametrize('size, want', [('first', 16), ('final', 32), (24, 24)])
def test_lr_find_size(make, size, want):
    learn = make(lr_find_size=size)
    train0 = learn.dls.train
    with learn.no_bar(): learn.lr_find(num_it=4, show_plot=False)
    fct.test_eq(set(learn.cbs.filter(lambda c: isinstance(c, Sizes))[0].seen), {want})
    fct.test_eq(learn.clock.history, [])
    assert learn.dls.train is train0  # the original loader is back


def test_after_fit_second_fit_and_validate(make):
    learn = make()
    train0 = learn.dls.train
    quiet_fit(learn)
    fct.test_eq(per_epoch(learn), [16, 16, 32])
    assert learn.dls.train is train0  # ProgressiveLoaders put the original training loader back
    with learn.no_bar():
        fct.test_eq(len(learn.validate()), 3)
        learn.get_preds(); learn.show_results(max_n=2); plt.close('all')
    quiet_fit(learn)  # a second fit follows the schedule again
    fct.test_eq(per_epoch(learn), [16, 16, 32] * 2)
    fct.test_fail(lambda: quiet_fit(learn, 4), contains='has 3 epochs but the fit has 4')


def test_fine_tune(make):
    learn = make()
    with learn.no_bar(), learn.no_logging(): learn.fine_tune(3, 3e-3)
    # the frozen epoch trains at `lr_find_size` (the first size), then the schedule runs over the 3 unfrozen epochs
    fct.test_eq(per_epoch(learn), [16, 16, 16, 32])


def tensor_dls(size=32):
    "Tiny in-memory `DataLoaders` that fastai can empty and pickle for export (both data paths of 00_data cannot yet)"
    x = resize_batch(torch.rand(24, 3, 32, 32, generator=torch.Generator().manual_seed(0)), size)
    return Datasets(list(x), tfms=[[], []], splits=[list(range(16)), list(range(16, 24))]).dataloaders(bs=8)


def tensor_train_dl(size): return tensor_dls(size).train


@pytest.mark.parametrize('cb', ['batch', 'item'])
def test_export_load(cb, tmp_path):
    set_seed(0, reproducible=True)
    cbs = ProgressiveResize(sched()) if cb == 'batch' else ProgressiveLoaders(sched(), tensor_train_dl)
    learn = ae_learner(tensor_dls(), ConvAE(), cbs=cbs, path=tmp_path)
    quiet_fit(learn)
    learn.export('learn.pkl')
    l2 = load_learner(tmp_path/'learn.pkl')
    dls = tensor_dls()
    with l2.no_bar():
        preds, _ = l2.get_preds(dl=dls.valid)
        fct.test_eq(preds.shape, (8, 3, 32, 32))
        fct.test_eq(len(l2.validate(dl=dls.valid)), 3)
    l2.dls = dls  # the loaded learner trains on, its callbacks with it
    quiet_fit(l2)
    fct.test_eq(per_epoch(l2), [16, 16, 32] * 2)


def test_export_ae_dls_batch(tmp_path):
    "A learner on 00_data's in-memory loaders exports without its images, loads, and predicts on new loaders"
    learn = ae_learner(ae_dls('sample', size=32, bs=8, max_images=16, crop=0.5, flip=True), ConvAE(), path=tmp_path)
    learn.export('learn.pkl')
    l2 = load_learner(tmp_path/'learn.pkl')
    fct.test_eq([len(dl.data) for dl in l2.dls.loaders], [0, 0])  # no images in the file
    with l2.no_bar(): preds, _ = l2.get_preds(dl=ae_dls('sample', size=32, bs=8, max_images=16).valid)
    fct.test_eq(preds.shape[1:], (3, 32, 32))


@pytest.mark.xfail(strict=True, reason="the item path's loaders cannot be exported: fastai's `Transform(noop)` holds a plum lock "
                                       "that cloudpickle cannot pickle. Upstream: with fastai 2.8.7 and fasttransform, a plain "
                                       "fastai DataBlock learner fails the same way (TypeError: cannot pickle '_thread.RLock' object)")
def test_export_ae_dls_item(tmp_path):
    learn = ae_learner(ae_dls('sample', size=32, bs=8, max_images=16, resize='item'), ConvAE(), path=tmp_path)
    learn.export('learn.pkl')


def test_recorder_columns_csv_tensorboard(tmp_path):
    "The training size and seconds are `Recorder` columns: `CSVLogger` and `TensorBoardCallback` log them unasked"
    from fastai.callback.progress import CSVLogger
    from fastai.callback.tensorboard import TensorBoardCallback
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    learn = batch_learner()
    learn.path = tmp_path
    with learn.no_bar(): learn.fit_one_cycle(3, 3e-3, cbs=[CSVLogger('history.csv'), TensorBoardCallback(tmp_path/'tb', trace_model=False)])
    fct.test_eq(list(learn.recorder.metric_names), ['epoch', 'train_loss', 'valid_loss', 'psnr', 'ssim', 'train_size', 'train_seconds', 'time'])
    df = pd.read_csv(tmp_path/'history.csv')
    fct.test_eq(df.train_size.tolist(), [16, 16, 32])
    fct.test_close(df.train_seconds.to_numpy(), [h['train_seconds'] for h in learn.clock.history])
    ea = EventAccumulator(str(tmp_path/'tb')).Reload()
    fct.test_eq([e.value for e in ea.Scalars('train_size')], [16, 16, 32])
    fct.test_close([e.value for e in ea.Scalars('train_seconds')], [h['train_seconds'] for h in learn.clock.history], eps=1e-4)
    # the history compare.py reads is unchanged
    fct.test_eq(list(learn.clock.history[0]), ['epoch', 'size', 'train_seconds', 'valid_seconds', 'train_loss', 'valid_loss', 'valid_psnr', 'valid_ssim'])
    # lr_find and validate add no values
    fct.test_eq(len(learn.validate()), 3)
    learn.lr_find(num_it=4, show_plot=False)
    fct.test_eq(len(learn.recorder.values[-1]), 1)  # lr_find's own epoch record: its train loss only
