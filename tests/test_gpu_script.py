"The GPU benchmark script runs end to end on a CPU (with a tiny setting), as it will on the GPU machine."
import json, os, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_gpu_script_on_cpu(tmp_path):
    out = tmp_path/'gpu-results'
    env = dict(os.environ, PYTHON=sys.executable)
    p = subprocess.run(['bash', str(ROOT/'benchmarks/gpu/run.sh'), str(out), '--size', '32', '--epochs', '1', '--max-images', '16',
                        '--strategies', 'baseline,progressive', '--seeds', '0', '--budgets', '1', '--bs', '8'],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    assert 'device:' in p.stdout
    res = json.loads((out/'results.json').read_text())
    assert res['config']['bf16'] and res['config']['channels_last'] and res['config']['size'] == 32
    assert {r['strategy'] for r in res['runs']} == {'baseline', 'progressive'}


def test_gpu_script_cuts_other_sizes_from_the_photos(tmp_path):
    "SIZE other than 128: the script cuts the sample from the carried photos (here saved first, as on the machine that carries them)"
    subprocess.run([sys.executable, str(ROOT/'benchmarks/gpu/photos.py'), 'save', str(tmp_path/'photos')], check=True, capture_output=True)
    out = tmp_path/'gpu-64'
    env = dict(os.environ, PYTHON=sys.executable, SIZE='64', PHOTOS=str(tmp_path/'photos'), LIMIT='600')
    p = subprocess.run(['bash', str(ROOT/'benchmarks/gpu/run.sh'), str(out), '--epochs', '1', '--max-images', '16', '--seeds', '0',
                        '--budgets', '1', '--bs', '8'], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    res = json.loads((out/'results.json').read_text())
    assert res['config']['size'] == 64 and res['config']['data'] == '/tmp/progresize-sample-64-stride8'
    assert (Path(res['config']['data'])/'README.md').read_text().startswith('# progresize sample: 64 px patches every 8 px')


def test_gpu_script_limit_with_no_finished_seed(tmp_path):
    "LIMIT reached before any seed finished: the script says so and fails with timeout's status, writing no results"
    env = dict(os.environ, PYTHON=sys.executable, LIMIT='1')
    p = subprocess.run(['bash', str(ROOT/'benchmarks/gpu/run.sh'), str(tmp_path/'out'), '--size', '32', '--epochs', '1', '--seeds', '0'],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 124, p.stdout[-2000:] + p.stderr[-2000:]
    assert 'seeds with every run finished: none' in p.stdout
    assert not (tmp_path/'out'/'results.json').exists()


def test_step_time_script_on_cpu(tmp_path):
    "benchmarks/gpu/step_time.py runs where there is no GPU too, and records its command and one row per size and batch"
    out = tmp_path/'steps.json'
    p = subprocess.run([sys.executable, str(ROOT/'benchmarks/gpu/step_time.py'), str(out), '--sizes', '16,32', '--bs', '2', '--steps', '2'],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    res = json.loads(out.read_text())
    assert res['command'].endswith('--sizes 16,32 --bs 2 --steps 2') and res['bf16'] is False
    assert [(r['size'], r['bs']) for r in res['rows']] == [(16, 2), (32, 2)] and all(r['median_ms'] > 0 for r in res['rows'])
