"""Start a run from weights that already exist (``train.init_from``) and freeze what should not train.

``initialise(model, train_cfg, workspace, classes)`` is the one way: the source resolved to a
state dict, the layers whose name and shape match loaded, the rest left as the seeded build made
them (the head is new when the classes differ), then ``lab.model.freeze``. It returns a
``Transfer`` record that says what was loaded, what is new and why, and what is frozen: the
CLI prints it, the page shows it, the run folder keeps it (``transfer.json``).

Where the weights come from (``init_from``):
- a run id of this journal (``workspace``): that run's checkpoint, chosen by
  ``Run.model_checkpoint`` and read by ``lab.model.checkpoint.load_checkpoint`` (never unpickled);
- ``weights/<name>.pt``: a file uploaded into the journal (``store_upload``), a CNN Lab checkpoint
  or a plain state dict, read with ``weights_only`` within the lab's size bound;
- on a laptop also any run folder or .pt path; in a classroom (private workspaces) nothing outside
  the student's own journal: another student's run id or a path elsewhere is refused;
- "imagenet": torchvision's weights for a ready architecture, downloaded with a short timeout or
  taken from torch's cache; offline, one sentence (``transfer.imagenet_offline``) and nothing hangs.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn

from lab.classroom.workspaces import private_workspaces
from lab.config import TrainConfig
from lab.config.limits import MAX_CHECKPOINT_BYTES
from lab.config.train import IMAGENET, SCRATCH
from lab.config.transfer_messages import MESSAGES
from lab.config.model import READY_ARCHS
from lab.errors import LabError, keyed
from lab.files import atomic_write
from lab.model import build_model
from lab.model.checkpoint import load_checkpoint, read_torch_dict
from lab.model.freeze import freeze, model_groups
from lab.paths import allow_download, runs_dir
from lab.runs.store import Run, RunStore

WEIGHTS = "weights"  # the journal's folder of uploaded .pt files
RECORD = "transfer.json"  # in a run folder: what it was initialised from
DOWNLOAD_TIMEOUT_S = 10.0  # seconds without an answer before an ImageNet download gives up
_TORCHVISION_HOST = "https://download.pytorch.org/models"
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.pt")


@dataclass
class Source:
    label: str  # what the record calls it: "run 2026...", "weights/x.pt", "imagenet"
    state: dict  # name -> tensor
    classes: list[str] | None = None  # the classes it was trained for, where known


@dataclass
class Transfer:
    """What a run started from, as the CLI, the page and the journal say it."""

    init_from: str = SCRATCH
    source: str = ""  # the source's label
    loaded: list[str] = field(default_factory=list)  # state-dict names taken from the source
    new_shape: list[str] = field(default_factory=list)  # same name, other shape: left as built
    new_missing: list[str] = field(default_factory=list)  # no such name in the source
    loaded_params: int = 0
    source_classes: int | None = None
    classes: int = 0
    # the source was trained for other classes than this run's, as many of them: its output
    # layer would fit, but means other things, so it starts new too (CIFAR-10's 0-4 -> 5-9)
    other_classes: bool = False
    new_head: list[str] = field(default_factory=list)  # the output layer's tensors, new for that reason
    frozen: list[str] = field(default_factory=list)  # group names
    trained: list[str] = field(default_factory=list)
    frozen_params: int = 0
    frozen_names: list[str] = field(default_factory=list)  # parameter names (the exported script's)

    @property
    def head_new(self) -> bool:
        return self.other_classes or (self.source_classes is not None and self.source_classes != self.classes)

    def lines(self) -> list[tuple[str, dict]]:
        """What to say, as catalogue messages (key, params), in order."""
        out = []
        if self.init_from == SCRATCH:
            out.append(("transfer.report.scratch", {}))
        else:
            out.append(("transfer.report.loaded", {"source": self.source, "loaded": len(self.loaded),
                                                   "total": len(self.loaded) + len(self.new_shape)
                                                   + len(self.new_missing) + len(self.new_head),
                                                   "params": self.loaded_params}))
            if self.other_classes:
                out.append(("transfer.report.other_classes", {"source": self.source}))
            elif self.head_new:
                out.append(("transfer.report.new_classes", {"source": self.source, "old": self.source_classes,
                                                            "new": self.classes}))
            if self.new_shape:
                out.append(("transfer.report.new_shape", {"n": len(self.new_shape), "name": self.new_shape[0]}))
            if self.new_missing:
                out.append(("transfer.report.new_missing", {"n": len(self.new_missing), "name": self.new_missing[0],
                                                            "source": self.source}))
        if self.frozen:
            out.append(("transfer.report.frozen", {"groups": ", ".join(self.frozen), "params": self.frozen_params,
                                                   "trained": ", ".join(self.trained)}))
        elif self.init_from != SCRATCH:
            out.append(("transfer.report.not_frozen", {}))
        return out

    def english(self) -> list[str]:
        return [str(keyed(MESSAGES, k, **p)) for k, p in self.lines()]

    def to_dict(self) -> dict:
        return asdict(self)


# --- where the weights come from ----------------------------------------------------------------
def restricted(workspace: Path) -> bool:
    """Only the journal's own runs and uploads: a classroom (private workspaces, or a workspace
    folder of a classroom runs folder that the CLI reaches with --student)."""
    return private_workspaces() or workspace.parent.name == "workspaces"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _file_source(ref: str, workspace: Path) -> Source:
    path = Path(ref).expanduser()
    if not path.is_absolute():
        path = workspace / path
    if restricted(workspace) and not _inside(path, workspace / WEIGHTS):
        raise keyed(MESSAGES, "transfer.outside", ref=ref)
    if not path.is_file():
        raise keyed(MESSAGES, "transfer.no_file", ref=ref)
    if path.stat().st_size > MAX_CHECKPOINT_BYTES:
        raise keyed(MESSAGES, "transfer.too_big", ref=ref, mb=round(path.stat().st_size / 2**20),
                    limit=MAX_CHECKPOINT_BYTES // 2**20)
    return weights_from_bytes(path.read_bytes(), ref)


def weights_from_bytes(data: bytes, label: str) -> Source:
    """A .pt file's weights: a CNN Lab checkpoint (checked against the model its config builds)
    or a plain state dict (name -> tensor). Never unpickled; a refusal names the file."""
    try:
        payload = read_torch_dict(data)
    except LabError as exc:
        key = {"checkpoint.objects": "transfer.unsafe", "checkpoint.not_dict": "transfer.not_state_dict",
               "checkpoint.too_big": "transfer.too_big"}.get(exc.key or "", "transfer.damaged")
        raise keyed(MESSAGES, key, ref=label, mb=round(len(data) / 2**20),
                    limit=MAX_CHECKPOINT_BYTES // 2**20) from None
    if isinstance(payload.get("state_dict"), dict) and "format" in payload:  # a CNN Lab checkpoint
        ck = load_checkpoint(data)
        return Source(label, ck.model.state_dict(), list(ck.classes))
    state = {k: v for k, v in payload.items() if isinstance(k, str) and isinstance(v, torch.Tensor)}
    if not state or len(state) != len(payload):
        raise keyed(MESSAGES, "transfer.not_state_dict", ref=label)
    return Source(label, state)


def _run_source(ref: str, workspace: Path) -> Source:
    path = Path(ref).expanduser()
    if not restricted(workspace) and (path / "config.json").is_file():
        run = Run(path)
    else:
        try:
            run = RunStore(workspace).get(ref)
        except LabError:
            raise keyed(MESSAGES, "transfer.no_run", ref=ref) from None
    ck = load_checkpoint(run.model_checkpoint())  # the run's best.pt, else last.pt: Run decides
    return Source(f"run {run.id}", ck.model.state_dict(), list(ck.classes))


def resolve(init_from: str, workspace: str | Path, arch: str = "") -> Source:
    """The weights ``init_from`` names (see the module doc), or a keyed LabError."""
    workspace = Path(workspace)
    if init_from == IMAGENET:
        return imagenet_source(arch)
    if init_from.endswith(".pt"):
        return _file_source(init_from, workspace)
    return _run_source(init_from, workspace)


# --- ImageNet -----------------------------------------------------------------------------------
def is_ready(arch: str) -> bool:
    """A torchvision architecture (``ModelConfig.arch``: a ready one), not one of the lab's own."""
    return arch in READY_ARCHS


def imagenet_url(preset: str) -> str:
    import torchvision  # heavy: loaded on first use, to keep start-up light

    url = torchvision.models.get_model_weights(preset).DEFAULT.url
    mirror = os.environ.get("LAB_TORCH_WEIGHTS_URL")  # a local mirror (and the tests' closed port)
    return url.replace(_TORCHVISION_HOST, mirror.rstrip("/")) if mirror else url


def imagenet_source(preset: str) -> Source:
    """torchvision's ImageNet weights for ``preset``: from torch's cache, else downloaded (with
    a short timeout); offline or unreachable: ``transfer.imagenet_offline``, at once."""
    if not is_ready(preset):
        raise keyed(MESSAGES, "transfer.imagenet_lab", preset=preset)
    url = imagenet_url(preset)
    cached = Path(torch.hub.get_dir()) / "checkpoints" / Path(url).name
    if not cached.is_file():
        if not allow_download():
            raise keyed(MESSAGES, "transfer.imagenet_offline")
        cached.parent.mkdir(parents=True, exist_ok=True)
        previous = socket.getdefaulttimeout()
        socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)  # urllib waits forever otherwise
        try:
            torch.hub.download_url_to_file(url, str(cached), progress=False)
        except Exception:  # refused, no route, DNS, timeout, HTTP error: all "could not download"
            with contextlib.suppress(OSError):
                cached.unlink()
            raise keyed(MESSAGES, "transfer.imagenet_offline") from None
        finally:
            socket.setdefaulttimeout(previous)
    source = weights_from_bytes(cached.read_bytes(), "imagenet")
    source.classes = None  # 1000 ImageNet classes: the head never matches a lab dataset's
    return source


# --- loading and freezing ----------------------------------------------------------------------
def output_layer(model: nn.Module) -> str:
    """The state-dict prefix of the model's output layer: the last layer with weights in its
    last group (the classifier head, by the ``groups()`` contract), e.g. ``head.5.``."""
    head = model_groups(model)[-1][1]
    last = [m for m in head.modules() if any(True for _ in m.parameters(recurse=False))][-1]
    return next(name for name, m in model.named_modules() if m is last) + "."


def load_matching(model: nn.Module, source: Source, transfer: Transfer) -> None:
    """Copy every source tensor whose name and shape match into ``model``; note the others.
    The output layer stays new when the source's classes are other classes (``other_classes``)."""
    own = model.state_dict()
    out = output_layer(model) if transfer.other_classes else None
    taken = {}
    for name, tensor in own.items():
        theirs = source.state.get(name)
        if out is not None and name.startswith(out):
            transfer.new_head.append(name)
        elif theirs is None:
            transfer.new_missing.append(name)
        elif tuple(theirs.shape) != tuple(tensor.shape) or theirs.dtype != tensor.dtype:
            transfer.new_shape.append(name)
        else:
            taken[name] = theirs
    if not any(torch.is_floating_point(t) for t in taken.values()):
        raise keyed(MESSAGES, "transfer.nothing_matches", ref=source.label)
    model.load_state_dict(taken, strict=False)
    params = dict(model.named_parameters())
    transfer.loaded = list(taken)
    transfer.loaded_params = sum(params[n].numel() for n in taken if n in params)


def initialise(model: nn.Module, cfg: TrainConfig, workspace: str | Path | None, classes: list[str] | int,
               arch: str = "") -> Transfer:
    """Load ``cfg.init_from`` into ``model`` (built for ``classes``: their names, or only how
    many) and freeze as ``cfg.freeze`` says, in place. ``workspace``: the journal run ids and
    uploads are in."""
    names = list(classes) if not isinstance(classes, int) else None
    transfer = Transfer(init_from=cfg.init_from, classes=len(names) if names is not None else classes)
    if cfg.init_from != SCRATCH:
        source = resolve(cfg.init_from, workspace if workspace is not None else runs_dir(), arch)
        transfer.source = source.label
        transfer.source_classes = len(source.classes) if source.classes is not None else None
        transfer.other_classes = (names is not None and source.classes is not None
                                  and len(source.classes) == len(names) and source.classes != names)
        load_matching(model, source, transfer)
    frozen = freeze(model, cfg.freeze)
    transfer.frozen, transfer.trained, transfer.frozen_params = frozen.groups, frozen.trained, frozen.params
    transfer.frozen_names = sorted(frozen.names)
    if not frozen.groups:
        transfer.trained = [name for name, _ in model_groups(model)]
    return transfer


# --- uploads and the run's record ----------------------------------------------------------------
def store_upload(workspace: str | Path, name: str, data: bytes) -> str:
    """Keep an uploaded .pt in the journal's ``weights/`` (after checking it holds weights and
    nothing else); the ``init_from`` value that names it. The name carries the content's hash:
    another file of the same name never replaces the one an earlier run started from."""
    import hashlib  # small; only an upload needs it

    if not _PLAIN_NAME.fullmatch(name):
        raise keyed(MESSAGES, "transfer.bad_upload_name", name=repr(name[:60]))
    weights_from_bytes(data, name)  # refused here (too big, code, not weights), before anything is written
    stored = f"{name[:-3]}-{hashlib.sha256(data).hexdigest()[:8]}.pt"
    folder = Path(workspace) / WEIGHTS
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / stored).is_file():
        atomic_write(folder / stored, data)
    return f"{WEIGHTS}/{stored}"


def upload_name(filename: str) -> str:
    """A plain ``.pt`` name for an uploaded file ("my model (2).pth" -> "my_model__2_.pt")."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", Path(filename).stem)[:90].lstrip("._-")
    return f"{stem or 'weights'}.pt"


def uploads(workspace: str | Path) -> list[str]:
    """The ``init_from`` values of the .pt files uploaded into this journal, newest first."""
    folder = Path(workspace) / WEIGHTS
    files = [p for p in folder.glob("*.pt") if p.is_file()] if folder.is_dir() else []
    return [f"{WEIGHTS}/{p.name}" for p in sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)]


def preview(config, workspace: str | Path | None, input_shape: tuple[int, int, int],
            classes: list[str] | int) -> Transfer:
    """What Train would load and freeze for ``config``, on a model built for the purpose
    (nothing is trained, nothing written): the page says it before Train, ``lab submit``
    refuses a bad source before queueing. ``classes``: the names (or only the count)."""
    model = build_model(config.model, input_shape, classes if isinstance(classes, int) else len(classes))
    return initialise(model, config.train, workspace, classes, config.model.arch)


def cli_value(ref: str, workspace: str | Path) -> str:
    """``--init-from``'s argument as the config keeps it: a .pt file is copied into the journal's
    ``weights/`` (the run can be repeated from the journal alone), a run folder of this journal
    becomes its id; a run id or "imagenet" stays as it is."""
    path, workspace = Path(ref).expanduser(), Path(workspace)
    if path.is_file() and not _inside(path, workspace / WEIGHTS):
        if restricted(workspace):
            raise keyed(MESSAGES, "transfer.outside", ref=ref)
        return store_upload(workspace, upload_name(path.name), path.read_bytes())
    if path.is_dir() and (path / "config.json").is_file() and _inside(path, workspace):
        return path.resolve().name
    if path.is_dir() and (path / "config.json").is_file() and not restricted(workspace):
        return str(path.resolve())
    return ref


def write_record(run: Run, transfer: Transfer) -> None:
    import json  # small; only runs that start from weights write this file

    atomic_write(run.dir / RECORD, json.dumps(transfer.to_dict(), indent=1))


def read_record(run: Run) -> Transfer | None:
    """What ``run`` was initialised from (None: from scratch, or a run older than the record)."""
    import json  # small, as above

    try:
        data = json.loads((run.dir / RECORD).read_text(encoding="utf-8"))
        return Transfer(**data)
    except (OSError, ValueError, TypeError):
        return None
