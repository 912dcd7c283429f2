"Smoke tests of the benchmark scripts that the report notebook reads (tiny data, one epoch): they must still run against the library"
import sys
from pathlib import Path
import pytest

sys.path.insert(0, str(Path(__file__).parents[1]/'benchmarks'))


@pytest.fixture(scope='module')
def transfer():
    "benchmarks/transfer.py as a module; the strategy its import of schedules.py registers is taken back afterwards"
    from progresize.compare import STRATEGIES
    saved = dict(STRATEGIES)
    import transfer as t
    yield t
    STRATEGIES.clear(); STRATEGIES.update(saved)


def test_transfer_run_scores_both_sizes(transfer):
    r = transfer.run('sample', 0, 16, epochs=1, max_images=64)
    assert (r['train_size'], r['epochs']) == (16, 1) and r['train_seconds'] > 0
    assert all(k in r and 0 < r[k] < 100 for k in ('at_half', 'at_full', 'at_full_recal'))
    assert r['at_full_recal'] != r['at_full']  # the BatchNorm statistics were re-estimated: the score moved
    full = transfer.run('sample', 0, 32, epochs=1, max_images=64)
    assert 'at_full_recal' not in full  # trained at the full size: nothing to re-estimate


def test_shrink_groups_cover_every_image_and_shrinking_more_loses_more():
    import shrink
    a = shrink.shrink_kept('sample', 32, max_images=64)
    assert (a['size'], a['side'], a['n']) == (32, 16, 64)
    assert sum(g['n'] for g in a['groups'].values()) == a['n'] and len(a['groups']) >= 1
    assert all(g == g.lower() and not g.endswith('.png') for g in a['groups'])  # photo names, not files
    assert list(a['by_side']) == [16, 24] and a['by_side'][16] == a['all'] < a['by_side'][24]  # every start size; a larger one keeps more
    b = shrink.shrink_kept('sample', 32, side=8, max_images=64)
    assert b['all'] < a['all'] and all(b['groups'][g]['psnr'] < a['groups'][g]['psnr'] for g in a['groups'])
    same = shrink.shrink_kept('sample', 32, side=32, max_images=8)
    assert same['all'] > 60  # nothing shrunk: the images come back (nearly) unchanged
