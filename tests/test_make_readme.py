"tools/make_readme.py: README.md matches nbs/index.ipynb, and the rendering rules."
import json, re, subprocess, sys
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


SETTINGS = '[DEFAULT]\nrepo = proj\nuser = me\nbranch = dev\ngit_url = https://github.com/%(user)s/%(repo)s\n'


def test_render(tmp_path):
    nbs = tmp_path/'nbs'
    nbs.mkdir()
    (tmp_path/'settings.ini').write_text(SETTINGS)
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
                'Intro, see [a](https://github.com/me/proj/blob/dev/nbs/00_a.ipynb) and [b](https://x.org).\n\n'
                '    shown\n\n``` python\n1+1\n```\n\n    2\n')


def test_absolute_links(tmp_path):
    "Links and images become absolute URLs (README.md is also the PyPI page); anchors, URLs and code stay as they are"
    (tmp_path/'settings.ini').write_text(SETTINGS)
    urls = make_readme.repo_urls(tmp_path)
    fct.test_eq(urls, ('https://github.com/me/proj/blob/dev', 'https://raw.githubusercontent.com/me/proj/dev'))
    md = ('[n](00_a.ipynb#usage) ![p](img/x.png) [c](../CONTRIBUTING.md) [s](#setup) [m](mailto:a@b.c) <https://x.org>\n'
          '<img src="index_files/a.png" width="50%"> <a href="../LICENSE">L</a>\n```\n[code](not/a/link.md)\n```')
    fct.test_eq(make_readme.fix_links(md, 'nbs', urls),
                '[n](https://github.com/me/proj/blob/dev/nbs/00_a.ipynb#usage) '
                '![p](https://raw.githubusercontent.com/me/proj/dev/nbs/img/x.png) '
                '[c](https://github.com/me/proj/blob/dev/CONTRIBUTING.md) [s](#setup) [m](mailto:a@b.c) <https://x.org>\n'
                '<img src="https://raw.githubusercontent.com/me/proj/dev/nbs/index_files/a.png" width="50%"> '
                '<a href="https://github.com/me/proj/blob/dev/LICENSE">L</a>\n```\n[code](not/a/link.md)\n```')
    fct.test_fail(lambda: make_readme.fix_links('[x](../../elsewhere)', 'nbs', urls), contains='outside the repository')
    # an image output: written to index_files/ beside README.md, shown from raw.githubusercontent.com
    nbs = tmp_path/'nbs'
    nbs.mkdir()
    png = {'output_type': 'display_data', 'metadata': {}, 'data': {'image/png': 'iVBORw0KGgo=', 'text/plain': '<Figure>'}}
    nb = {'cells': [_cell('markdown', '# T'), _cell('code', 'plot()', [png])], 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}
    (nbs/'index.ipynb').write_text(json.dumps(nb))
    text, images = make_readme.render(nbs/'index.ipynb', root=tmp_path)
    fct.test_eq(list(images), ['index_files/cell-1-output-0.png'])
    assert '![](https://raw.githubusercontent.com/me/proj/dev/index_files/cell-1-output-0.png)' in text, text


def _targets(text):
    "Every link and image target in markdown `text` outside code fences: `](target)`, `src=`/`href=`, `[ref]: target`"
    text = re.sub(r'^(```|~~~).*?^\1', '', text, flags=re.M | re.S)
    return (re.findall(r'\]\(([^)\s]+)', text) + re.findall(r'\b(?:src|href)=["\']([^"\']+)', text)
            + re.findall(r'^\s*\[[^\]]+\]:\s*(\S+)', text, re.M))


def test_readme_links_are_absolute():
    "README.md is the PyPI page too: no relative link or image, and each link into the repository names a file that exists"
    text = (ROOT/'README.md').read_text(encoding='utf-8')
    targets = _targets(text)
    assert targets, 'README.md has no links?'
    relative = [t for t in targets if not re.match(r'^(https?:|mailto:|#)', t)]
    assert not relative, f'relative links in README.md: {relative}'
    for base in make_readme.repo_urls():
        for t in targets:
            if t.startswith(base + '/'):
                path = t[len(base) + 1:].split('#')[0]
                assert (ROOT/path).exists(), f'README.md links {t}, but {path} is not in the repository'
