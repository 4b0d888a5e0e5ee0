"""Source notebooks: committed clean, one literal parameters cell, the same parameters everywhere."""
import ast
import json

import pytest

from conftest import ROOT
from newsbrief.dev.nbclean import clean_notebook, dumps

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REQUIRED = {"COMPANY", "ARTICLES", "AS_OF", "REPORTS", "BUILD"}


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 8


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path):
    text = path.read_text(encoding="utf-8")
    assert dumps(clean_notebook(json.loads(text))) == text, f"{path.name}: run `make clean-notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_of_literal_defaults(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse("".join(tagged[0]["source"]))
    names = set()
    for node in tree.body:
        assert isinstance(node, ast.Assign), "only assignments in the parameters cell"
        assert isinstance(node.value, ast.Constant), "parameters must be literals (derive values later)"
        names.add(node.targets[0].id)
    assert names == REQUIRED
    assert nb["metadata"]["kernelspec"]["name"] == "newsbrief"
