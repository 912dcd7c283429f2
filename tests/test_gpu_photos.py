"The GPU script's photos travel as PNGs and are cut there: the sample it builds must be the one `sample_images` builds here"
import filecmp, subprocess, sys
from pathlib import Path
from progresize.data import sample_images

ROOT = Path(__file__).resolve().parents[1]

def _same_tree(a:Path, b:Path):
    fa, fb = sorted(p.relative_to(a) for p in a.rglob('*') if p.is_file()), sorted(p.relative_to(b) for p in b.rglob('*') if p.is_file())
    assert fa == fb, set(fa) ^ set(fb)
    diff = [f for f in fa if not filecmp.cmp(a/f, b/f, shallow=False)]
    assert not diff, diff

def test_photos_build_matches_sample_images(tmp_path):
    py, script = sys.executable, str(ROOT/'benchmarks'/'gpu'/'photos.py')
    subprocess.run([py, script, 'save', str(tmp_path/'photos')], check=True, capture_output=True)
    subprocess.run([py, script, 'build', str(tmp_path/'photos'), str(tmp_path/'built'), '--size', '256', '--stride', '128'], check=True, capture_output=True)
    here = sample_images(tmp_path/'here', size=256, stride=128)
    _same_tree(tmp_path/'built', here)
    assert len(list((here/'valid').iterdir())) > 0 and len(list((here/'train').iterdir())) > 0

def test_photos_build_needs_an_out_dir(tmp_path):
    p = subprocess.run([sys.executable, str(ROOT/'benchmarks'/'gpu'/'photos.py'), 'build', str(tmp_path)], capture_output=True, text=True)
    assert p.returncode != 0 and 'OUT_DIR' in p.stderr
