"""The notebooks run top to bottom on the graph of the bundled report (``KG_STORE``
names it for them), with no cell failing."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.paths import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert {p.name for p in NOTEBOOKS} >= {"who_met_whom.ipynb", "sco_and_brics.ipynb"}


def _text(nb) -> str:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", ()):
            out.append(o.get("text", "") if o.output_type == "stream" else str(o.get("data", {}).get("text/plain", "")))
    return "\n".join(out)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, store, monkeypatch):
    monkeypatch.setenv("KG_STORE", store.location)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        assert not cell.get("outputs"), f"{path.name} is kept without outputs"
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    text = _text(nb)
    assert store.location in text          # the graph it was given, not a fresh build
    assert "Wang Yi" in text and "Sergey Lavrov" in text
