"""The notebooks as a learner meets them: JupyterLab in a real browser (headless Chromium driven by Playwright).

`jupyter lab` runs as users start it (`--no-browser`, a token, 127.0.0.1, a free port) with `IN_TEST=1`, so the
notebooks choose their quick mode. It serves **copies** in a temporary folder, never the repository: a browser run
cannot save over `nbs/`. The copies have their outputs cleared, so every picture and table on the page comes from
this run, and, as under `nbdev_test`, no cells marked `#| eval: false`, `#| slow` or `#| cuda`. For each notebook:
open it, Run All from the Run menu, wait until every cell ran and the kernel is idle, then check the page: no error
output, the matplotlib plots are `<img>`s that loaded, fastai's progress bars appeared and its results table rendered.
Screenshots (and the server's log) go to `$PROGRESIZE_ARTIFACTS/browser` or a pytest temporary folder; the test
prints where.

Needs `pip install playwright` and Debian's Chromium (`apt-get install chromium`; Playwright's own browser download
is not used). Without them the test is skipped, except when `CI` is set (`CI=1`, or `true` as on GitHub Actions):
then it fails. Skip it locally with `pytest -m "not browser"`.
"""
import configparser, json, os, re, secrets, shutil, signal, socket, subprocess, sys, time, urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
NOTEBOOKS = ['index.ipynb', 'tutorials/01_baseline.ipynb']  # the home page, and the first tutorial: it trains, plots and shows fastai's tables
CHROMIUM = os.environ.get('PROGRESIZE_CHROMIUM', '/usr/bin/chromium')
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync']
RUN_TIMEOUT = float(os.environ.get('PROGRESIZE_BROWSER_TIMEOUT', 240))  # seconds for one notebook's Run All
def _tst_flags():
    "`tst_flags` of settings.ini: the cells `nbdev_test` skips unless asked (`slow cuda`)"
    cfg = configparser.ConfigParser(delimiters=['='], interpolation=None)
    cfg.read(ROOT/'settings.ini', encoding='utf-8')
    return tuple(cfg['DEFAULT'].get('tst_flags', '').split())
SKIP_FLAGS = _tst_flags()
IN_CI = os.environ.get('CI', '').lower() in ('1', 'true', 'yes')

pytestmark = pytest.mark.browser

# Records every <progress> element added to the page (fastprogress's bars are gone once a fit ends)
_WATCH_PROGRESS = """
window.__progressBars = 0;
new MutationObserver(ms => { for (const m of ms) for (const n of m.addedNodes)
    if (n.nodeType === 1 && (n.matches('progress') || n.querySelector('progress'))) window.__progressBars++; })
  .observe(document, {childList: true, subtree: true});
"""

_PAGE_STATE = """panel => {
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim());
  const outs = [...panel.querySelectorAll('.jp-OutputArea-output')];
  return {
    prompts,
    stderr: outs.filter(e => e.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr').map(e => e.textContent),
    imgs: [...panel.querySelectorAll('.jp-OutputArea-output img')].map(i => ({src: i.getAttribute('src').slice(0, 22), w: i.naturalWidth, h: i.naturalHeight})),
    tables: [...panel.querySelectorAll('.jp-OutputArea-output table')].map(t => ({cls: t.className, head: [...t.querySelectorAll('th')].map(h => h.textContent.trim())})),
    progressBars: window.__progressBars,
  };
}"""


def _unavailable():
    "Why the browser test cannot run on this machine, or None"
    try: import playwright.sync_api  # noqa: F401
    except ImportError: return 'playwright is not installed (pip install playwright)'
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f'no Chromium at {CHROMIUM} (apt-get install chromium, or set PROGRESIZE_CHROMIUM)'
    try: import jupyterlab  # noqa: F401
    except ImportError: return 'jupyterlab is not installed'
    return None


def _directives(src):
    "The `#| flag` directives at the top of a cell's source"
    out = []
    for line in src.splitlines():
        m = re.match(r'^\s*#\s*\|\s*(.+?)\s*$', line)
        if m: out.append(m.group(1))
        elif line.strip(): break
    return out


def _quick_copy(src, dst):
    "`src` without outputs and without the cells `nbdev_test` skips, written to `dst`; returns the kept notebook"
    nb = json.loads(src.read_text(encoding='utf-8'))
    keep = []
    for c in nb['cells']:
        if c['cell_type'] == 'code':
            ds = _directives(''.join(c['source']))
            if any(re.match(r'eval:\s*false', d, re.I) for d in ds) or any(d.split()[0] in SKIP_FLAGS for d in ds if d.split()): continue
            c['outputs'], c['execution_count'] = [], None
        keep.append(c)
    nb['cells'] = keep
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(json.dumps(nb, indent=1), encoding='utf-8')
    return nb


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _api(base, token, path, method='GET'):
    req = urllib.request.Request(f'{base}{path}', method=method, headers={'Authorization': f'token {token}'})
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read()
        return json.loads(body) if body else None


def _report(config, msg):
    "Print `msg` on the terminal even while pytest captures output"
    tr, capman = config.pluginmanager.get_plugin('terminalreporter'), config.pluginmanager.get_plugin('capturemanager')
    if not (tr and capman): return print(msg)
    with capman.global_and_fixture_disabled(): tr.write_line(msg)


@pytest.fixture(scope='module')
def artifacts(request, tmp_path_factory):
    "Folder for screenshots and logs: $PROGRESIZE_ARTIFACTS/browser, else a pytest temporary folder"
    env = os.environ.get('PROGRESIZE_ARTIFACTS')
    d = Path(env)/'browser' if env else tmp_path_factory.mktemp('browser-artifacts')
    d.mkdir(parents=True, exist_ok=True)
    _report(request.config, f'\nbrowser test: screenshots and JupyterLab log in {d}')
    return d


@pytest.fixture(scope='module')
def lab(tmp_path_factory, artifacts):
    "A token-protected `jupyter lab` on 127.0.0.1 serving quick copies of NOTEBOOKS: (base URL, token, root folder)"
    why = _unavailable()
    if why:
        if IN_CI: pytest.fail(f'browser test cannot run: {why} (CI is set, so this is a failure, not a skip)')
        pytest.skip(why)
    root = tmp_path_factory.mktemp('lab')
    assert ROOT not in root.parents and root != ROOT
    for name in NOTEBOOKS: _quick_copy(NBS/name, root/'nbs'/name)
    for extra in ('benchmarks',):  # read by index.ipynb (`../benchmarks/...`), read-only
        if (ROOT/extra).exists(): (root/extra).symlink_to(ROOT/extra, target_is_directory=True)
    settings = root/'.lab'/'settings'
    for plugin, value in {'notebook-extension/tracker': {'windowingMode': 'none'},  # every cell in the DOM
                          'apputils-extension/notification': {'fetchNews': 'false', 'checkForUpdates': False}}.items():
        f = settings/'@jupyterlab'/f'{plugin}.jupyterlab-settings'
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))
    token, port = secrets.token_hex(16), _free_port()
    env = {**os.environ, 'IN_TEST': '1', 'JUPYTER_CONFIG_DIR': str(root/'.lab'/'config'),
           'JUPYTER_RUNTIME_DIR': str(root/'.lab'/'runtime'), 'PYTHONUNBUFFERED': '1'}
    env.pop('MPLBACKEND', None)  # let the kernel use the inline backend, as in a learner's JupyterLab
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ip=127.0.0.1', f'--port={port}', '--ServerApp.port_retries=0',
           f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={root}',
           f'--LabApp.user_settings_dir={settings}', f'--LabApp.workspaces_dir={root/".lab"/"workspaces"}']
    if hasattr(os, 'geteuid') and os.geteuid() == 0: cmd.append('--allow-root')  # containers, CI runners as root
    log = open(artifacts/'jupyterlab.log', 'w')
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f'http://127.0.0.1:{port}'
    try:
        for _ in range(120):
            if proc.poll() is not None: pytest.fail(f'jupyter lab exited with {proc.returncode}: see {artifacts/"jupyterlab.log"}')
            try:
                _api(base, token, '/api/status')
                break
            except OSError: time.sleep(0.5)
        else: pytest.fail(f'jupyter lab did not answer within 60 s: see {artifacts/"jupyterlab.log"}')
        with pytest.raises(urllib.error.HTTPError):  # token-protected, as users run it
            urllib.request.urlopen(f'{base}/api/status', timeout=10)
        yield base, token, root
    finally:
        try:
            for k in _api(base, token, '/api/kernels'): _api(base, token, f'/api/kernels/{k["id"]}', 'DELETE')
        except Exception: pass
        proc.send_signal(signal.SIGINT); proc.send_signal(signal.SIGINT)  # Ctrl-C twice: stop without asking
        try: proc.wait(timeout=20)
        except subprocess.TimeoutExpired: proc.kill(); proc.wait()
        log.close()


@pytest.fixture(scope='module')
def browser(lab, tmp_path_factory):
    "A Chromium context with a fresh profile"
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(tmp_path_factory.mktemp('chromium-profile')), executable_path=CHROMIUM,
                                                   headless=True, args=CHROMIUM_FLAGS, viewport={'width': 1400, 'height': 1000})
        ctx.add_init_script(_WATCH_PROGRESS)
        try: yield ctx
        finally: ctx.close()


def _expected(nb):
    "What the saved notebook shows: the number of plots (PNG outputs), and whether it has a fastai training table"
    outs = [o for c in nb['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', [])]
    html = [''.join(o.get('data', {}).get('text/html', '')) for o in outs]
    return sum('image/png' in o.get('data', {}) for o in outs), any('class="fastprogress"' in h for h in html)


_re_error = re.compile(r'Traceback \(most recent call last\)|^\s*\w*(Error|Exception|Interrupt)\b', re.M)


@pytest.mark.parametrize('name', NOTEBOOKS)
def test_run_all_in_jupyterlab(name, lab, browser, artifacts, request):
    base, token, root = lab
    n_png, fit_table = _expected(json.loads((NBS/name).read_text(encoding='utf-8')))  # the saved run, in the repository
    n_code = sum(c['cell_type'] == 'code' for c in json.loads((root/'nbs'/name).read_text())['cells'])
    stem, t0 = Path(name).stem, time.time()
    page = browser.new_page()
    shot = lambda what: page.screenshot(path=str(artifacts/f'{stem}-{what}.png'))
    try:
        page.goto(f'{base}/lab/workspaces/{stem}/tree/nbs/{name}?token={token}')  # its own workspace: only this notebook open
        panel = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)')
        panel.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=90_000)
        # the kernel of this notebook is up
        for _ in range(120):
            ss = [s for s in _api(base, token, '/api/sessions') if s['path'].endswith(name)]
            if ss and ss[0]['kernel']['execution_state'] == 'idle': break
            time.sleep(0.5)
        else: pytest.fail(f'{name}: no idle kernel after 60 s')
        t_open = time.time() - t0
        shot('1-opened')
        page.click('.lm-MenuBar-itemLabel:text-is("Run")')
        page.click('.lm-Menu-itemLabel:text-is("Run All Cells")')
        t1, done, state = time.time(), 0, None
        while time.time() - t1 < RUN_TIMEOUT:
            time.sleep(1)
            state = panel.evaluate(_PAGE_STATE)
            idle = _api(base, token, '/api/sessions')
            idle = all(s['kernel']['execution_state'] == 'idle' for s in idle if s['path'].endswith(name))
            started = any(p != '[ ]:' for p in state['prompts'])
            done = done + 1 if (started and idle and '[*]:' not in state['prompts']) else 0
            if done >= 2: break  # idle twice in a row, nothing queued
        else: pytest.fail(f'{name}: Run All did not finish in {RUN_TIMEOUT:.0f} s; prompts {state and state["prompts"]}')
        t_run = time.time() - t1
        shot('2-ran')
        errors = [e[:500] for e in state['stderr'] if _re_error.search(e)]
        assert not errors, f'{name}: error output on the page:\n' + '\n---\n'.join(errors)
        assert len(state['prompts']) == n_code, f'{name}: {len(state["prompts"])} code cells on the page, {n_code} in the notebook'
        not_run = [i for i, p in enumerate(state['prompts']) if not re.fullmatch(r'\[\d+\]:', p)]
        assert not not_run, f'{name}: code cells {not_run} did not run (prompts {state["prompts"]})'
        # the plots: <img> elements from this run (the copy had no outputs), decoded by the browser
        imgs = state['imgs']
        assert len(imgs) == n_png, f'{name}: {len(imgs)} images on the page, the saved notebook has {n_png} plots'
        assert all(i['src'].startswith('data:image/png') and i['w'] > 0 and i['h'] > 0 for i in imgs), f'{name}: images {imgs}'
        if n_png:
            panel.locator('.jp-OutputArea-output img').first.evaluate('e => e.scrollIntoView({block: "center"})')
            shot('3-first-plot')
        if fit_table:  # fastai: progress bars while training, then the table of epochs
            assert state['progressBars'] > 0, f'{name}: no fastprogress bar appeared during the run'
            fits = [t for t in state['tables'] if 'fastprogress' in t['cls'].split()]
            assert any({'epoch', 'train_loss', 'valid_loss'} <= set(t['head']) for t in fits), f'{name}: no fastai results table: {state["tables"]}'
            panel.locator('.jp-OutputArea-output table.fastprogress').first.evaluate('e => e.scrollIntoView({block: "center"})')
            shot('4-training-table')
        _report(request.config, f'{name}: opened in {t_open:.1f} s, Run All ({n_code} cells) in {t_run:.1f} s; '
                f'{len(imgs)} plots, {len(state["tables"])} tables, {state["progressBars"]} progress bars; screenshots {artifacts}/{stem}-*.png')
    except BaseException:
        try: shot('failure')
        except Exception: pass
        raise
    finally:
        page.close()
        for sess in _api(base, token, '/api/sessions'):  # free the CPU for the next notebook
            if sess['path'].endswith(name): _api(base, token, f'/api/sessions/{sess["id"]}', 'DELETE')
