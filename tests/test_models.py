"Tests of `progresize.models` from outside the notebook: shapes, size errors, splitters, metrics on known pairs."
import math
import pytest
import torch
import fastcore.test as fct

import progresize.models as pm
from progresize.models import (ConvAE, LatentAE, UpBlock, convae_splitter, latentae_splitter, psnr, ssim, ae_loss,
                               resize_to, flops_per_image, count_params)


def test_all_exports():
    for name in ['ConvAE', 'LatentAE', 'UpBlock', 'convae_splitter', 'latentae_splitter', 'psnr', 'ssim', 'ae_loss',
                 'flops_per_image', 'count_params']:
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


@pytest.mark.parametrize('size', [16, 32, 64])
def test_latentae_shapes(size):
    m = LatentAE(size=size, latent=32, width=16, enc_widths=(8, 16)).eval()
    fct.test_eq(m.out_size, size)
    with torch.no_grad():
        fct.test_eq(m(torch.rand(2, 3, size, size)).shape, (2, 3, size, size))
        fct.test_eq(m(torch.rand(2, 3, 2*size, 2*size)).shape, (2, 3, size, size))  # output fixed by the blocks


def test_latentae_bad_size():
    with pytest.raises(ValueError, match='got 48'): LatentAE(size=48)
    fct.test_fail(lambda: LatentAE(size=4), contains='8, 16, 32')


def test_splitters_partition_after_growth():
    def ids(groups): return [id(p) for g in groups for p in g]
    c = ConvAE(widths=(8, 16))
    fct.test_eq(len(convae_splitter(c)), 3)
    fct.test_eq(sorted(ids(convae_splitter(c))), sorted(id(p) for p in c.parameters()))
    m = LatentAE(size=16, latent=16, width=8, enc_widths=(8,))
    m.blocks.append(UpBlock(8, 8))
    groups = latentae_splitter(m)
    fct.test_eq(len(groups), 3)
    fct.test_eq(sorted(ids(groups)), sorted(id(p) for p in m.parameters()))
    assert {id(p) for p in m.blocks[-1].parameters()} <= {id(p) for p in groups[2]}
    fct.test_eq(m.out_size, 32)


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
