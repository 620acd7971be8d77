"""A run as a Jupyter notebook in the course's five stages, from the script's own template.

One generator, two outputs: the script (lab/export/script.py) fills
lab/templates/training_script.py; the notebook takes that same filled text, cut at its
``# %% name`` cell markers (jupytext's percent format), drops the header and the command
line, and puts its own cells (lab/templates/notebook_steps.py: parameters, loaders, fitting,
curves, validation, the test set last) and a markdown cell per stage, in the student's
language, around them. nbformat builds and validates the .ipynb; no JSON is written by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from lab.config import ExperimentConfig
from lab.config.data import DATASET_NAMES
from lab.export.onnx import require
from lab.export.script import checkpoint_facts, script_source
from lab.files import atomic_write
from lab.i18n import translate
from lab.runs.changes import run_against_parent
from lab.runs.scores import scores
from lab.runs.store import Run, RunStore
from lab.templates.fill import fill, read_template

STEPS = "notebook_steps.py"  # lab/templates/: the notebook's own cells
_CELL = re.compile(r"^# %% (\w+)[^\n]*\n", re.M)
SHARED = ("imports", "settings", "transforms", "data", "model", "training")  # from the script's template


def cells(text: str) -> dict[str, str]:
    """Percent-format text -> {cell name: its code}; text before the first marker is dropped."""
    parts = _CELL.split(text)
    return {name: body.strip("\n") for name, body in zip(parts[1::2], parts[2::2])}


def notebook(run: Run, lang: str = "en"):
    """The run as an ``nbformat`` notebook (version 4), validated."""
    import nbformat  # optional dependency: a machine without it runs everything but this export
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook  # optional, as nbformat above

    cfg = run.config()
    script = cells(script_source(run))
    steps = cells(fill(read_template(STEPS), {"parameters": _parameters(cfg)}))
    md = _markdown(run, cfg, lang)
    order = [md["title"], md["task"], md["parameters"], "parameters", "imports", md["settings"], "settings",
             md["data"], "transforms", "data", "loaders", md["architecture"], "model",
             md["training"], "training", "build", "fit", "curves", md["evaluation"], "validation", md["end"], "test"]
    code = {**script, **steps}
    book = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                                  "language_info": {"name": "python"}, "cnn_lab": {"run": run.id, "lang": lang}})
    for item in order:
        if item in code:
            cell = new_code_cell(code[item])
            if item == "parameters":
                cell.metadata["tags"] = ["parameters"]  # papermill's convention
            book.cells.append(cell)
        else:
            book.cells.append(new_markdown_cell(item))
    nbformat.validate(book)
    return book


def notebook_source(run: Run, lang: str = "en") -> str:
    import nbformat  # optional dependency: a machine without it runs everything but this export

    return nbformat.writes(notebook(run, lang))


def export_notebook(run: Run, path: str | Path, lang: str = "en") -> Path:
    require(("nbformat",))
    atomic_write(path, notebook_source(run, lang))
    return Path(path)


def _parameters(cfg: ExperimentConfig) -> list[str]:
    return ['data_dir = os.environ.get("LAB_DATA_DIR") or "data"  # where the dataset lives (LAB_DATA_DIR, else data/)',
            f"epochs = {cfg.train.epochs}  # the run's number of epochs",
            f"limit = {cfg.data.train_limit}  # training images to use; 0 = all",
            "look_at_test = False  # True only at the very end, once the model is chosen"]


def _markdown(run: Run, cfg: ExperimentConfig, lang: str) -> dict[str, str]:
    def t(key, **kw):
        return translate(key, lang, **kw)

    name = run.meta().get("name") or ""
    return {
        "title": t("export.nb.title", run=run.id, name=f" ({name})" if name else ""),
        "task": t("export.nb.h_task") + "\n\n" + _task(run, cfg, t),
        "parameters": t("export.nb.parameters"),
        "settings": t("export.nb.settings"),
        "data": t("export.nb.h_data") + "\n\n" + _data(run, cfg, t),
        "architecture": t("export.nb.h_architecture") + "\n\n" + _architecture(run, cfg, t),
        "training": t("export.nb.h_training") + "\n\n" + _training(cfg, t),
        "evaluation": t("export.nb.h_evaluation") + "\n\n" + t("export.nb.evaluation"),
        "end": t("export.nb.end"),
    }


def _task(run: Run, cfg: ExperimentConfig, t) -> str:
    classes = checkpoint_facts(run).get("classes") or []
    lines = [t("export.nb.task", dataset=DATASET_NAMES.get(cfg.data.dataset, cfg.data.dataset), classes=len(classes) or "?",
               names=", ".join(map(str, classes[:20])) + (", …" if len(classes) > 20 else ""))]
    s = scores(run)
    if s["best_val_accuracy"] is not None:
        lines.append(t("export.nb.result", accuracy=f"{s['best_val_accuracy']:.4f}", epochs=s["epochs"]))
    comparison = run_against_parent(RunStore(run.dir.parent), run)
    if comparison.parent:
        changes = "; ".join(f"`{path}`: {a!r} → {b!r}" for path, a, b in comparison.changes)
        lines.append(t("export.nb.parent", parent=comparison.parent, changes=changes or t("export.nb.no_change")))
    else:
        lines.append(t("export.nb.no_parent"))
    return "\n\n".join(lines)


def _data(run: Run, cfg: ExperimentConfig, t) -> str:
    from lab.augment.text import format_transforms  # the text form the Augmentation page shows

    facts = checkpoint_facts(run)
    mean, std = facts.get("mean"), facts.get("std")
    rounded = (lambda v: "(" + ", ".join(f"{x:.4f}" for x in v) + ")")  # noqa: E731
    limit = t("export.nb.limit", n=cfg.data.train_limit) if cfg.data.train_limit else ""
    return t("export.nb.data", val=f"{cfg.data.val_fraction:.0%}", seed=cfg.data.split_seed, limit=limit,
             mean=rounded(mean) if mean else t("export.nb.computed"), std=rounded(std) if std else "",
             augment=f"`{format_transforms(list(cfg.augment.transforms))}`" if cfg.augment.transforms
             else t("export.nb.no_augment"))


def _architecture(run: Run, cfg: ExperimentConfig, t) -> str:
    from lab.model.trace import trace  # the shape table the Architecture page shows
    from lab.runs.journal import input_shape, num_classes  # heavy: loaded on first use, to keep start-up light

    facts = checkpoint_facts(run)
    shape = tuple(facts.get("input_shape") or input_shape(cfg))
    classes = len(facts["classes"]) if facts.get("classes") else (num_classes(cfg) or 10)
    traced = trace(cfg.model, shape, classes)
    rows = [t("export.nb.table_head"), "| --- | --- | ---: |"]
    rows += [f"| `{layer.layer}` | {' x '.join(map(str, layer.output or ()))} | {layer.params:,} |"
             for layer in traced.layers]
    head = t("export.nb.architecture", shape=" x ".join(map(str, shape)), params=f"{traced.total_params:,}",
             macs=f"{traced.total_macs:,}")
    return head + "\n\n" + "\n".join(rows)


def _training(cfg: ExperimentConfig, t) -> str:
    tr = cfg.train
    return t("export.nb.training", optimizer=tr.optimizer, lr=tr.lr, batch=tr.batch_size, epochs=tr.epochs,
             schedule=tr.schedule, decay=tr.weight_decay, smoothing=tr.label_smoothing, clip=tr.grad_clip,
             stopping=tr.early_stopping, seed=tr.seed)
