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
