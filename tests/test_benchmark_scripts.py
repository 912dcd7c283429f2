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

