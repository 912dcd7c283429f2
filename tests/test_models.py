"Tests of `progresize.models` from outside the notebook: shapes, size errors, the splitter, metrics on known pairs."
import math
import pytest
import torch
import fastcore.test as fct

import progresize.models as pm
from progresize.models import (ConvAE, convae_splitter, psnr, ssim, ae_loss, resize_to, flops_per_image, count_params)
from progresize.train import default_splitter
from progresize.test_utils import check_partition


def test_all_exports():
    for name in ['ConvAE', 'convae_splitter', 'psnr', 'ssim', 'ae_loss', 'flops_per_image', 'count_params']:
        assert name in pm.__all__


@pytest.mark.parametrize('hw', [(16, 16), (32, 32), (64, 64), (32, 64)])
def test_convae_shapes(hw):
    m = ConvAE(widths=(8, 16, 32)).eval()
    with torch.no_grad(): out = m(torch.rand(2, 3, *hw))
    fct.test_eq(out.shape, (2, 3, *hw))
    assert 0 <= out.min() and out.max() <= 1
    fct.test_eq(m.stride, 8)


def test_convae_bad_size_message():
    m = ConvAE(widths=(8, 16, 32))
    with pytest.raises(ValueError) as e: m(torch.rand(1, 3, 30, 30))
    msg = str(e.value)
    assert 'divisible by 8' in msg and '30x30' in msg and '24 or 32' in msg
    fct.test_fail(lambda: ConvAE(widths=(8, 16))(torch.rand(1, 3, 18, 16)), contains='divisible by 4; got 18x16')


def test_convae_splitter():
    c = ConvAE(widths=(8, 16))
    fct.test_eq(check_partition(convae_splitter(c), c)[2], len(list(c.head.parameters())) + 2)  # head and image skip
    fct.test_is(ConvAE.splitter, convae_splitter)
    fct.test_is(default_splitter(c), convae_splitter)  # `ae_learner` looks the splitter up on the class
    fct.test_eq(default_splitter(torch.nn.Linear(2, 2)).__name__, 'trainable_params')


def test_metrics_known_pairs():
    x = torch.rand(2, 3, 32, 32)
    assert math.isinf(psnr(x, x).item())
    fct.test_close(ssim(x, x), 1.0, eps=1e-5)
    gen = torch.Generator().manual_seed(0)
    grey = torch.full((4, 3, 64, 64), 0.5)
    for sigma, db in ((0.1, 20.0), (0.05, 26.02)):
        noisy = grey + sigma*torch.randn(grey.shape, generator=gen)
        fct.test_close(psnr(noisy, grey), db, eps=0.3)
        fct.test_close(ae_loss(noisy, grey), sigma**2, eps=sigma**2/10)


def test_metrics_score_at_target_size():
    targ = torch.rand(2, 3, 32, 32)
    small = torch.rand(2, 3, 16, 16)
    fct.test_eq(resize_to(small, targ).shape, targ.shape)
    fct.test_eq(psnr(small, targ), psnr(resize_to(small, targ), targ))
    fct.test_eq(ssim(small, targ), ssim(resize_to(small, targ), targ))
    fct.test_eq(psnr(small + 5, targ), psnr(torch.ones_like(small), targ))  # pred is clamped to [0,1]


def test_flops_and_params():
    m = ConvAE(widths=(8, 16))
    f16, f32 = flops_per_image(m, 16), flops_per_image(m, 32)
    fct.test_close(f32 / f16, 4.0, eps=1e-6)
    assert m.training
    lin = torch.nn.Linear(4, 2)
    fct.test_eq(count_params(lin), 10)
