"Every notebook converts to HTML (as `jupyter nbconvert --to html --embed-images` does) with its content inside the page."
import configparser, html as htmllib, re
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

NBS = Path(__file__).resolve().parent.parent/'nbs'
NOTEBOOKS = sorted(p for p in NBS.rglob('*.ipynb') if not any(q.startswith(('_', '.')) for q in p.relative_to(NBS).parts))  # the tutorials/ too
# Scripts and badges may come from outside; pictures the notebooks made must be in the page
BADGES = ('https://cdn', 'https://colab.research.google.com/assets/', 'https://img.shields.io/', 'https://github.com/progresize/progresize/actions/')


def _pngs_in(page): return page.count('data:image/png;base64,')


@pytest.fixture(scope='module')
def template_pngs():
    "PNGs the HTML template embeds by itself (in its CSS), counted on an empty notebook"
    return _pngs_in(HTMLExporter(embed_images=True).from_notebook_node(nbformat.v4.new_notebook())[0])


def _td(fragment): return [t.strip() for t in re.findall(r'<td[^>]*>(.*?)</td>', fragment, re.S)]


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[p.relative_to(NBS).as_posix() for p in NOTEBOOKS])
def test_html(nb, template_pngs):
    node = nbformat.read(nb, as_version=4)
    code = [c for c in node.cells if c.cell_type == 'code']
    md = [c for c in node.cells if c.cell_type == 'markdown']
    outs = [o for c in code for o in c.get('outputs', [])]
    pngs = [o['data']['image/png'].replace('\n', '') for o in outs if 'image/png' in o.get('data', {})]
    exporter = HTMLExporter(embed_images=True)
    page, _ = exporter.from_notebook_node(node, resources={'metadata': {'path': str(nb.parent)}})
    # the title heading, and every cell
    title = next(c.source.split('\n')[0][2:].strip() for c in md if c.source.startswith('# '))
    assert len(re.findall(r'<h1[^>]*>\s*' + re.escape(htmllib.escape(title, quote=False)), page)) == 1, f'{nb.name}: no <h1> {title!r}'
    assert page.count('class="jp-Cell jp-CodeCell') == len(code), f'{nb.name}: not every code cell is in the page'
    assert page.count('class="jp-Cell jp-MarkdownCell') == len(md), f'{nb.name}: not every markdown cell is in the page'
    # every picture, embedded in the page: as many PNGs as the notebook's outputs hold, and each of them
    assert _pngs_in(page) - template_pngs == len(pngs), f'{nb.name}: {len(pngs)} PNG outputs, {_pngs_in(page) - template_pngs} embedded'
    assert all(p in page for p in pngs), f'{nb.name}: a PNG output is not in the page'
    outside = [u for u in re.findall(r'src="(https?://[^"]+)"', page) if not u.startswith(BADGES)]
    assert not outside, f'{nb.name}: images link outside the page: {outside}'
    # tables (pandas, fastai's training tables) and printed text, with their content
    tables = [''.join(o['data']['text/html']) for o in outs if '<table' in ''.join(o.get('data', {}).get('text/html', ''))]
    assert page.count('<table') >= len(tables), f'{nb.name}: {len(tables)} table outputs, fewer <table>s in the page'
    for t in tables: assert all(v in page for v in _td(t)), f'{nb.name}: a table cell of an output is not in the page'
    for o in outs:
        if o.get('output_type') == 'stream' and o['text'].strip():
            line = o['text'].strip().split('\n')[0]
            assert htmllib.escape(line, quote=False) in page, f'{nb.name}: printed line {line!r} is not in the page'


def test_pictures_in_the_series():
    "The tutorials show real results: the data, baseline and progressive notebooks carry saved plots"
    for name in ('00_data.ipynb', '02_baseline.ipynb', '03_progressive.ipynb'):
        node = nbformat.read(NBS/name, as_version=4)
        assert any('image/png' in o.get('data', {}) for c in node.cells if c.cell_type == 'code' for o in c.get('outputs', [])), name


def test_sidebar_lists_every_notebook():
    "`nbdev_docs` builds the site from `_quarto.yml` and `sidebar.yml`: every page must be in the sidebar"
    side = (NBS/'sidebar.yml').read_text()
    listed = {l.strip().lstrip('- ').strip() for l in side.splitlines() if l.strip().endswith('.ipynb')}
    names = {p.relative_to(NBS).as_posix() for p in NOTEBOOKS}
    assert listed == names, f'sidebar.yml lists {sorted(listed)}; the notebooks are {sorted(names)}'
    assert 'sidebar.yml' in (NBS/'_quarto.yml').read_text()


def test_custom_sidebar():
    "`nbdev_docs` (on GitHub) rewrites sidebar.yml unless settings.ini says the sidebar is written by hand"
    cfg = configparser.ConfigParser(delimiters=['='], interpolation=None)
    cfg.read(NBS.parent/'settings.ini', encoding='utf-8')
    assert cfg['DEFAULT'].getboolean('custom_sidebar'), 'settings.ini: custom_sidebar must be True (nbs/sidebar.yml is hand-written)'
