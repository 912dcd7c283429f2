"Every notebook converts to HTML (as `jupyter nbconvert --to html --embed-images` does) with its pictures inside the page."
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

NBS = Path(__file__).resolve().parent.parent/'nbs'
NOTEBOOKS = sorted(p for p in NBS.glob('*.ipynb') if not p.name.startswith(('_', '.')))


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_html(nb):
    node = nbformat.read(nb, as_version=4)
    n_png = sum('image/png' in o.get('data', {}) for c in node.cells if c.cell_type == 'code' for o in c.get('outputs', []))
    exporter = HTMLExporter(embed_images=True)
    html, _ = exporter.from_notebook_node(node, resources={'metadata': {'path': str(NBS)}})
    assert '<html' in html.lower()
    assert html.count('data:image/png;base64,') >= n_png, f'{nb.name}: {n_png} PNG outputs but fewer embedded images'
    assert 'src="http' not in html.replace('src="https://cdn', ''), f'{nb.name}: an image links outside the page'


def test_pictures_in_the_series():
    "The tutorials show real results: the data, baseline and progressive notebooks carry saved plots"
    for name in ('00_data.ipynb', '02_baseline.ipynb', '03_progressive.ipynb'):
        node = nbformat.read(NBS/name, as_version=4)
        assert any('image/png' in o.get('data', {}) for c in node.cells if c.cell_type == 'code' for o in c.get('outputs', [])), name


def test_sidebar_lists_every_notebook():
    "`nbdev_docs` builds the site from `_quarto.yml` and `sidebar.yml`: every page must be in the sidebar"
    side = (NBS/'sidebar.yml').read_text()
    listed = {l.strip().lstrip('- ').strip() for l in side.splitlines() if l.strip().endswith('.ipynb')}
    assert listed == {p.name for p in NOTEBOOKS}, f'sidebar.yml lists {sorted(listed)}; the notebooks are {[p.name for p in NOTEBOOKS]}'
    assert 'sidebar.yml' in (NBS/'_quarto.yml').read_text()
