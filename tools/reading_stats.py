#!/usr/bin/env python3
"""The series as a learner meets it: reading statistics of the notebooks, in the sidebar's order, checked against targets.

    python tools/reading_stats.py           # print the table and the checks; exit 1 if a target is missed
    python tools/reading_stats.py --json    # the same numbers as JSON

Words are what a reader reads: the words of Markdown cells and of generated Markdown (`text/markdown` outputs).
Targets (issue 27):
- each tutorial (`nbs/tutorials/`) at most 30 cells and 1,500 words; its longest code cell at most 20 lines;
  every notebook's longest code cell at most 30 lines;
- from the home page, in the sidebar's order, the freeze -> `slice` recipe (the first `fit_one_cycle(..., slice(...))`
  after a `freeze`) is reached within 120 cells and 5,000 words;
- README.md states the answer (the paragraph that starts with `**The answer`) within the first 200 words after its title;
- no notebook carries quick-mode outputs (the marker `progresize.test_utils.quick_mode` prints under the tests), and
  every notebook that has a quick mode gets it from `quick_mode()`, so that the marker is printed;
- no measured number typed into Markdown: a decimal number with a unit of results (dB, ×, %, s) in a Markdown cell;
- the tutorials' full runs (recorded by `tools/run_tutorials.py` in `nbs/tutorials/timings.json`) at most 5 minutes
  each and 20 minutes together.
"""
import argparse, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
QUICK_MARKER = 'QUICK MODE'  # progresize.test_utils.QUICK_MARKER (not imported: this script needs only the standard library)
LIMITS = dict(tutorial_cells=30, tutorial_words=1500, tutorial_code_lines=20, code_lines=30, recipe_cells=120, recipe_words=5000,
              readme_words=200, tutorial_seconds=300, tutorials_seconds=1200)
_typed = re.compile(r'(?<![\w.`-])[-+−]?\d+\.\d+\s?(dB|×|%|s\b)')
SETTINGS = {'0.2 dB'}  # the plateau bar and Q's margin: definitions, not measurements
_recipe = re.compile(r'fit_one_cycle\([^\n]*slice\(')


def src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']
def words(t): return len(re.findall(r'\S*\w\S*', t))  # tokens with a letter or digit: no bare Markdown syntax


def sidebar(path=NBS/'sidebar.yml'):
    "The notebooks of the sidebar, in order (a plain reading of its `- name.ipynb` lines)"
    return [m.group(1) for l in path.read_text().splitlines() if (m := re.match(r'\s*-\s+(\S+\.ipynb)\s*$', l))]


def stats(nb_path):
    "Cells, words (Markdown and generated Markdown), code lines and flags of one notebook"
    cells = json.loads(nb_path.read_text())['cells']
    rows = []
    for c in cells:
        s = src(c)
        md = [''.join(o['data']['text/markdown']) for o in c.get('outputs', []) if 'text/markdown' in o.get('data', {})]
        gen = sum(words(m) for m in md if not m.lstrip().startswith('```'))  # fastprogress's tables come as fenced HTML: not prose
        outs = ''.join(''.join(o.get('text', '')) + ''.join(o.get('data', {}).get('text/plain', '')) for o in c.get('outputs', []))
        rows.append(dict(type=c['cell_type'], words=(words(s) if c['cell_type'] == 'markdown' else 0) + gen,
                         lines=len(s.splitlines()) if c['cell_type'] == 'code' else 0, src=s, quick_output=QUICK_MARKER in outs))
    return rows


def first_recipe(rows):
    "Index of the first cell that fits with `slice` learning rates after a cell that calls `freeze`, else None"
    frozen = False
    for i, r in enumerate(rows):
        if r['type'] != 'code': continue
        if _recipe.search(r['src']) and (frozen or '.freeze(' in r['src']): return i
        frozen = frozen or bool(re.search(r'\.freeze(_to)?\(', r['src']))
    return None


def readme_answer_words(path=ROOT/'README.md'):
    "Words from after README's title to the end of the paragraph that starts with `**The answer`, or None"
    text = re.sub(r'<!--.*?-->', '', path.read_text(), flags=re.S)
    body = text.split('\n', 1)[1] if text.startswith('# ') else text
    i = body.find('**The answer')
    if i < 0: return None
    end = body.find('\n\n', i)
    return words(body[:end if end >= 0 else len(body)])


def report():
    order = sidebar()
    res, fails = dict(notebooks={}, limits=LIMITS), []
    for name in sorted({p.relative_to(NBS).as_posix() for p in NBS.rglob('*.ipynb') if not any(q.startswith(('_', '.')) for q in p.relative_to(NBS).parts)}):
        rows = stats(NBS/name)
        st = dict(cells=len(rows), words=sum(r['words'] for r in rows), longest_code=max((r['lines'] for r in rows), default=0),
                  quick_outputs=sum(r['quick_output'] for r in rows),
                  own_quick=any("environ.get('IN_TEST')" in r['src'] or 'environ["IN_TEST"]' in r['src'] for r in rows if r['type'] == 'code'),
                  typed=[m.group(0) for r in rows if r['type'] == 'markdown' for m in _typed.finditer(re.sub(r'```.*?```|`[^`]*`', '', r['src'], flags=re.S))
                         if m.group(0).lstrip('+-−') not in SETTINGS])
        res['notebooks'][name] = st
        tut = name.startswith('tutorials/')
        if tut and st['cells'] > LIMITS['tutorial_cells']: fails.append(f"{name}: {st['cells']} cells (at most {LIMITS['tutorial_cells']})")
        if tut and st['words'] > LIMITS['tutorial_words']: fails.append(f"{name}: {st['words']} words (at most {LIMITS['tutorial_words']})")
        lim = LIMITS['tutorial_code_lines'] if tut else LIMITS['code_lines']
        if st['longest_code'] > lim: fails.append(f"{name}: a code cell of {st['longest_code']} lines (at most {lim})")
        if st['quick_outputs']: fails.append(f"{name}: {st['quick_outputs']} cells carry quick-mode outputs: execute it in its full setting (IN_TEST unset) and save")
        if st['own_quick'] and name != '09_test_utils.ipynb': fails.append(f"{name}: reads IN_TEST itself: use `QUICK = quick_mode()` (progresize.test_utils) so that quick outputs are marked")
        if st['typed']: fails.append(f"{name}: measured numbers typed into Markdown: {', '.join(st['typed'][:5])} (generate them from the results)")
    missing = [n for n in order if n not in res['notebooks']]
    if missing: fails.append(f"sidebar.yml names notebooks that do not exist: {', '.join(missing)}")
    cells = wds = 0; reached = None
    for name in order:
        rows = stats(NBS/name); i = first_recipe(rows)
        upto = rows if i is None else rows[:i + 1]
        cells += len(upto); wds += sum(r['words'] for r in upto)
        if i is not None: reached = name; break
    res['recipe'] = dict(notebook=reached, cells=cells, words=wds)
    if reached is None: fails.append("the freeze -> slice recipe appears in no notebook of the sidebar")
    elif cells > LIMITS['recipe_cells'] or wds > LIMITS['recipe_words']:
        fails.append(f"the freeze -> slice recipe ({reached}) comes after {cells} cells and {wds} words (at most {LIMITS['recipe_cells']} and {LIMITS['recipe_words']})")
    res['readme_answer_words'] = rw = readme_answer_words()
    if rw is None: fails.append("README.md has no paragraph starting with **The answer")
    elif rw > LIMITS['readme_words']: fails.append(f"README.md: the answer ends {rw} words after the title (at most {LIMITS['readme_words']})")
    tp = NBS/'tutorials'/'timings.json'
    tutorials = sorted(n for n in res['notebooks'] if n.startswith('tutorials/'))
    if not tp.exists(): fails.append(f"{tp.relative_to(ROOT)} is missing: run tools/run_tutorials.py")
    else:
        t = json.loads(tp.read_text()); res['timings'] = t
        secs = {k: v['seconds'] for k, v in t['notebooks'].items()}
        if sorted(secs) != tutorials: fails.append(f"{tp.relative_to(ROOT)} times {sorted(secs)}, not the tutorials {tutorials}: rerun tools/run_tutorials.py")
        fails += [f"{k}: its full run took {v:.0f} s (at most {LIMITS['tutorial_seconds']})" for k, v in secs.items() if v > LIMITS['tutorial_seconds']]
        if sum(secs.values()) > LIMITS['tutorials_seconds']: fails.append(f"the tutorials' full runs took {sum(secs.values()):.0f} s together (at most {LIMITS['tutorials_seconds']})")
    res['failures'] = fails
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--json', action='store_true', help='print the numbers as JSON')
    r = report()
    if ap.parse_args().json: print(json.dumps(r, indent=1))
    else:
        print(f"{'notebook':34} {'cells':>5} {'words':>6} {'longest code':>12}")
        for n, s in r['notebooks'].items(): print(f"{n:34} {s['cells']:5} {s['words']:6} {s['longest_code']:12}")
        rc = r['recipe']
        print(f"\nfreeze -> slice recipe: {rc['notebook']}, after {rc['cells']} cells and {rc['words']} words from the home page (sidebar order)")
        print(f"README: the answer ends {r['readme_answer_words']} words after the title")
        if 'timings' in r: print(f"tutorials' full runs: " + ', '.join(f"{k} {v['seconds']:.0f} s" for k, v in r['timings']['notebooks'].items())
                                 + f" ({sum(v['seconds'] for v in r['timings']['notebooks'].values()):.0f} s on {r['timings']['machine']})")
        print('\n' + ('\n'.join('MISSED: ' + f for f in r['failures']) if r['failures'] else 'every target met'))
    sys.exit(1 if r['failures'] else 0)


if __name__ == '__main__': main()
