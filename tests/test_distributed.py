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


def test_compare_two_processes(tmp_path):
    "`torchrun ... -m progresize.cli compare`: both ranks train every run on their halves at the same sizes; rank 0 alone prints and writes"
    from progresize.compare import CompareConfig, compare_dls
    out = tmp_path/'out'
    env = dict(os.environ, CUDA_VISIBLE_DEVICES='', OMP_NUM_THREADS='1')
    torchrun = shutil.which('torchrun', path=str(Path(sys.executable).parent)) or 'torchrun'
    p = subprocess.run([torchrun, '--standalone', '--nproc_per_node', '2', '-m', 'progresize.cli', 'compare', '--quick', '--budgets', '1',
                        '--bs', '8', '--logger', 'csv', '--out', str(out)], env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    assert sorted(f.name for f in out.iterdir()) == ['frontier.png', 'logs', 'psnr_vs_time.png', 'reconstructions.png', 'results.json', 'results.md', 'runs']
    lines = p.stdout.splitlines()
    assert sum('min elapsed' in l for l in lines) == 2 and sum(l.startswith('Results in') for l in lines) == 1, p.stdout  # rank 0 alone prints
    res = json.loads((out/'results.json').read_text())
    assert res['machine']['processes'] == 2 and '× 2 processes' in (out/'results.md').read_text()
    nb = len(compare_dls(CompareConfig(quick=True, bs=8)).train)  # training batches per epoch in one process: 48 images, 6 batches
    assert nb == 6
    for r in res['runs']:
        assert r['processes'] == 2 and r['ranks_agree'], r  # both ranks trained, at the same size at every step
        assert r['rank_weight_diff'] == 0, r['rank_weight_diff']  # and ended with the same weights
        assert r['rank_batches'] == [r['epochs'] * nb // 2] * 2, (r['rank_batches'], nb)  # each its half of every epoch
        assert sum(r['batches_per_size'].values()) == r['rank_batches'][0]
        log = (out/'logs'/f"{r['strategy']}-seed0-b1.csv").read_text().splitlines()
        assert len(log) == 1 + r['epochs'], log  # written once, by rank 0
    prog = next(r for r in res['runs'] if r['strategy'] == 'progressive')
    assert prog['sizes'][0] < prog['sizes'][-1] == 32, prog['sizes']
