"""The notebook export: the run in the course's five stages, in the student's language, from
the script's own template, and it runs top to bottom in a fresh kernel on real MNIST."""

from __future__ import annotations

import ast
import re

import pytest

from lab.cli import main
from lab.export.notebook import notebook
from lab.export.script import script_source
from lab.i18n import translate

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

STAGES = ("export.nb.h_task", "export.nb.h_data", "export.nb.h_architecture", "export.nb.h_training",
          "export.nb.h_evaluation")


def code_cells(book):
    return [c for c in book.cells if c.cell_type == "code"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_five_stage_headings_in_the_runs_language_in_order(mnist_cnn_run, lang):
    book = notebook(mnist_cnn_run, lang)
    headings = [line for c in book.cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("## ")]
    assert headings == [translate(key, lang) for key in STAGES]
    text = "\n".join(c.source for c in book.cells if c.cell_type == "markdown")
    assert ("Задача" in text) == (lang == "ru") and ("Task" in text) == (lang == "en")
    # the run's own choices: its mean/std from the audit, its shape table, its hyperparameters
    assert re.search(r"\(0\.13\d\d\)", text) and "nn.Conv2d(1, 32" in text and "0.001" in text
    assert "MNIST" in text and "mnist" not in text.replace("mnist_cnn", "")  # the dataset as people write it


def test_the_first_code_cell_holds_the_parameters_tagged_for_papermill(mnist_cnn_run):
    first = code_cells(notebook(mnist_cnn_run))[0]
    assert first.metadata["tags"] == ["parameters"]
    names = {t.id for node in ast.parse(first.source).body if isinstance(node, ast.Assign) for t in node.targets}
    assert {"data_dir", "epochs", "limit"} <= names
    assert "LAB_DATA_DIR" in first.source and "epochs = 2" in first.source and "limit = 8000" in first.source


def test_code_cells_are_the_scripts_cells_and_never_import_lab(mnist_cnn_run):
    book = notebook(mnist_cnn_run)
    script = script_source(mnist_cnn_run)
    for cell in code_cells(book):
        tree = ast.parse(cell.source)
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(m == "lab" or m.startswith("lab.") for m in imported)
    model_cell = next(c.source for c in code_cells(book) if "class " in c.source and "nn.Module" in c.source)
    assert model_cell in script  # the one template: the same model code, letter for letter
    assert "evaluate(model, test_loader" in code_cells(book)[-1].source  # the test set only in the last cell
    assert all("test_loader" not in c.source or "test_loader =" in c.source or "def " in c.source
               for c in code_cells(book)[:-1])


def test_the_notebook_runs_in_a_fresh_kernel_on_real_mnist(mnist_cnn_run, shared_datasets, tmp_path, monkeypatch):
    path = tmp_path / "run.ipynb"
    assert main(["export", str(mnist_cnn_run.dir), "--notebook", str(path), "--lang", "ru"]) == 0
    book = nbformat.read(path, as_version=4)
    params = code_cells(book)[0]
    params.source = params.source.replace("epochs = 2", "epochs = 1").replace("limit = 8000", "limit = 1000")
    monkeypatch.setenv("LAB_DATA_DIR", str(shared_datasets))
    # a machine whose environment picks a non-interactive backend (as this test session's imports
    # can): the figures must still be shown inline
    monkeypatch.setenv("MPLBACKEND", "Agg")
    client = nbclient.NotebookClient(book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for c in code_cells(book) for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"
                and "Error" in o.get("text", "")]
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    accuracy = float(re.search(r"validation accuracy (\d\.\d+)", printed).group(1))
    assert accuracy > 0.5  # learned (chance is 0.1): the mnist_cnn preset, 1,000 images, one epoch (0.78 seen)
    assert "1000 training, 3000 validation" in printed
    images = [o for o in outputs if o.output_type == "display_data" and "image/png" in o.data]
    assert len(images) == 2  # the curves and the confusion matrix, inline
    assert "test accuracy" not in printed and "look_at_test = True" in printed
