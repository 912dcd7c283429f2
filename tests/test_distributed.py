"Progressive resizing under fastai's distributed training: 2 processes, gloo on this CPU (`tests/ddp_progressive.py`)."
import os, sys, json, subprocess, shutil
from pathlib import Path
import pytest

HERE = Path(__file__).parent


@pytest.fixture(scope='module')
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp('ddp')
    env = dict(os.environ, CUDA_VISIBLE_DEVICES='', OMP_NUM_THREADS='1')
    torchrun = shutil.which('torchrun', path=str(Path(sys.executable).parent)) or 'torchrun'
    p = subprocess.run([torchrun, '--standalone', '--nproc_per_node', '2', str(HERE/'ddp_progressive.py'), str(out)],
                       env=env, capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    assert [f.name for f in out.iterdir()] == ['results.json']  # written once, by rank 0
    return json.loads((out/'results.json').read_text())


@pytest.mark.parametrize('resize', ['batch', 'item'])
def test_two_ranks(results, resize):
    assert results['world_size'] == 2
    r0, r1 = results[resize]
    # every rank trains at the same size at every step, and the schedule's sizes
    assert r0['sizes'] == r1['sizes'] == [16] * 4 + [32] * 2  # 16 images, batch 4, 2 ranks: 2 batches per rank per epoch
    # the loader itself makes batches of the scheduled size (the resizer inside `DistributedDL` was found)
    assert r0['loader_sizes'] == r0['sizes']
    # each rank sees its own half of the training set in every epoch
    for a, b in zip(r0['seen'], r1['seen']):
        assert len(a) == len(b) == 8 and not set(a) & set(b) and set(a) | set(b) == set(range(16))
    # DDP keeps the weights identical
    assert r0['max_weight_diff'] == r1['max_weight_diff'] == 0
    assert [h['size'] for h in r0['history']] == [16, 16, 32]
