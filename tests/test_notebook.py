"""The notebook user: the README's example and the figure functions run in a real Jupyter kernel
(nbclient), on full, filtered, emptied and broken tables, without changing global state."""
import importlib.util

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("nbclient", "nbformat", "ipykernel")),
                       reason="nbclient, nbformat and ipykernel are needed (they are in requirements.lock)"),
]

CELLS = [
    # the README's notebook section, as written there
    '''import matplotlib
import matplotlib.pyplot as plt
rc_before = dict(matplotlib.rcParams)
fonts_before = [f.fname for f in matplotlib.font_manager.fontManager.ttflist]
import analysis
from analysis.figures import plot_troops

t = analysis.load()
t["troop_levels"] = t.troop_levels[t.troop_levels.counted == "us"]   # only US counts
fig, (ar, en) = plt.subplots(1, 2, figsize=(13, 4.5), layout="constrained")
plot_troops(t, ax=ar)             # Arabic labels, shaped and ordered for the running matplotlib
plot_troops(t, ax=en, lang="en")  # the same data with English labels
fig.canvas.draw()''',
    '''from analysis import figures as F
full = analysis.load()
PLOTS = [F.plot_troops, F.plot_bases, F.plot_attacks, F.plot_attacks_per_year, F.plot_sources]
for fn in PLOTS:
    for name in ("troop_levels", "base_events", "attacks", "sources", "milestones", "bases", "claims", "citations"):
        tables = dict(full)
        tables[name] = full[name].iloc[0:0]
        fig, ax = plt.subplots()
        assert fn(tables, ax=ax) is ax
        fig.canvas.draw()
        plt.close(fig)''',
    '''for fn in PLOTS:
    for name, keep in (("bases", lambda f: f.base_id != "harir"), ("sources", lambda f: f.source_id != "s003")):
        tables = dict(full)
        tables[name] = full[name][keep(full[name])]
        fig, ax = plt.subplots()
        fn(tables, ax=ax, lang="en")
        fig.canvas.draw()
        labels = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        assert not [s for s in labels if "<NA>" in s or s.strip() == "nan"], (fn.__name__, name)
        plt.close(fig)''',
    '''import pytest
tables = dict(full)
tables["attacks"] = full.attacks.drop(columns=["weapon"])
with pytest.raises(ValueError, match="weapon"):
    F.plot_attacks(tables)''',
    '''plt.close("all")
assert [f.fname for f in matplotlib.font_manager.fontManager.ttflist][:len(fonts_before)] == fonts_before
changed = [k for k, v in rc_before.items() if matplotlib.rcParams[k] != v and k not in ("backend", "interactive")]  # set by the inline backend
assert not changed, changed
print("notebook ok")''',
]


def test_figure_functions_in_a_real_notebook(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    assert "notebook ok" in "".join(o.get("text", "") for o in nb.cells[-1].outputs)
