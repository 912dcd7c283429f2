"tools/make_readme.py: README.md matches nbs/index.ipynb, and the rendering rules."
import json, subprocess, sys
from pathlib import Path

import fastcore.test as fct

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'tools'))
import make_readme  # noqa: E402


def test_readme_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'make_readme.py'), '--check'],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def _cell(kind, src, outputs=None):
    c = {'cell_type': kind, 'id': 'x', 'metadata': {}, 'source': src}
    if kind == 'code': c.update(execution_count=None, outputs=outputs or [])
    return c


def test_render(tmp_path):
    nbs = tmp_path/'nbs'
    nbs.mkdir()
    cells = [_cell('markdown', '# Title\n\n> The summary\n\nIntro, see [a](00_a.ipynb) and [b](https://x.org).'),
             _cell('code', '#| hide\nsecret()'),
             _cell('code', '#| export\nlib_code()'),
             _cell('code', '#| echo: false\nnot_shown()', [{'output_type': 'stream', 'name': 'stdout', 'text': 'shown\n'}]),
             _cell('code', '#| eval: false\n1+1', [{'output_type': 'execute_result', 'execution_count': None,
                                                   'metadata': {}, 'data': {'text/plain': '2'}}])]
    nb = {'cells': cells, 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}
    (nbs/'index.ipynb').write_text(json.dumps(nb))
    text, images = make_readme.render(nbs/'index.ipynb', root=tmp_path)
    fct.test_eq(images, {})
    fct.test_eq(text, '# Title\n\n\n' + make_readme.WARNING + '\n\n> The summary\n\n'
                'Intro, see [a](nbs/00_a.ipynb) and [b](https://x.org).\n\n    shown\n\n``` python\n1+1\n```\n\n    2\n')
