"""tools/reading_stats.py: its checks fire on made-up notebooks, and the repository meets them."""
import importlib.util, json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location('reading_stats', ROOT/'tools'/'reading_stats.py')
rs = importlib.util.module_from_spec(spec); spec.loader.exec_module(rs)


def _nb(tmp_path, cells):
    p = tmp_path/'x.ipynb'
    p.write_text(json.dumps(dict(cells=[dict(cell_type=t, source=s, outputs=o, metadata={}) if t == 'code' else dict(cell_type=t, source=s, metadata={})
                                        for t, s, o in cells])))
    return p


def test_recipe_needs_freeze_before_slice(tmp_path):
    rows = rs.stats(_nb(tmp_path, [('code', 'learn.fit_one_cycle(2, slice(1e-4, 1e-3))', []), ('code', 'learn.freeze()', []),
                                   ('markdown', 'two words', None), ('code', 'learn.unfreeze()\nlearn.fit_one_cycle(3, slice(LR/10, LR))', [])]))
    assert rs.first_recipe(rows) == 3
    assert sum(r['words'] for r in rows) == 2


def test_quick_marker_and_generated_words(tmp_path):
    out = [dict(output_type='stream', name='stdout', text=f'{rs.QUICK_MARKER}: tiny'), dict(output_type='display_data', data={'text/markdown': 'one two three'})]
    rows = rs.stats(_nb(tmp_path, [('code', 'QUICK = quick_mode()', out)]))
    assert rows[0]['quick_output'] and rows[0]['words'] == 3


def test_typed_numbers():
    found = [m.group(0) for m in rs._typed.finditer('ends +0.71 dB in 139 s, 1.36× sooner, a 3e-3 rate, 8 epochs, 12.5% of it')]
    assert found == ['+0.71 dB', '1.36×', '12.5%']


def test_readme_answer_position(tmp_path):
    p = tmp_path/'README.md'
    p.write_text('# title\n\n<!-- a comment -->\n\n> one two\n\n**The answer.** three four.\n\nmore words here\n')
    assert rs.readme_answer_words(p) == 6
    p.write_text('# title\n\nno answer\n')
    assert rs.readme_answer_words(p) is None


def test_repository_meets_the_targets():
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'reading_stats.py')], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:]
