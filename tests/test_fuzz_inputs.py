"""Fuzzing the three readers of strangers' files: the config parser, the checkpoint loader
and the archive reader. Random mutations of real files (fixed seeds, a few hundred cases,
a few seconds): every case ends in the lab's own error or in success, never in another
exception, and the process's peak memory stays bounded."""

from __future__ import annotations

import copy
import io
import random
import resource
import zipfile

import pytest
import torch
from PIL import Image

from lab.model.checkpoint import load_checkpoint, save_checkpoint
from lab.config import ExperimentConfig
from lab.data.archive import safe_extract_zip
from lab.errors import LabError
from lab.model import build_model, preset

HOSTILE = [None, True, -1, 0, 2**31, 10**40, -10**40, 1e308, float("inf"), float("nan"), "", "x" * 1000,
           "../../etc", [], [1, 2, 3], [[[[[]]]]], {}, {"a": {"b": {"c": {}}}}, 3.5, "mnist", "cifar10"]


def real_config() -> dict:
    cfg = ExperimentConfig()
    cfg.model = preset("cifar_fast", "cifar10")
    cfg.data.dataset = "cifar10"
    cfg.augment.transforms = []
    return cfg.to_dict()


def mutate_tree(data, rng: random.Random, edits: int = 3):
    """A few random edits anywhere in a JSON-like tree: replace, delete, add, duplicate."""
    data = copy.deepcopy(data)
    for _ in range(edits):
        node, path = data, []
        while isinstance(node, (dict, list)) and node and rng.random() < 0.7:
            key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
            path.append((node, key))
            node = node[key]
        if not path:
            continue
        parent, key = path[-1]
        roll = rng.random()
        if roll < 0.6:
            parent[key] = rng.choice(HOSTILE)
        elif roll < 0.75 and isinstance(parent, dict):
            del parent[key]
        elif roll < 0.9 and isinstance(parent, dict):
            parent[rng.choice(["extra", 7, "seed", "blocks", "hidden"])] = rng.choice(HOSTILE)
        else:
            parent[key] = [copy.deepcopy(node)] * rng.randint(0, 12)
    return data


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    roll = rng.random()
    if roll < 0.2:
        return bytes(out[: rng.randrange(len(out))])  # cut short
    if roll < 0.3:
        at = rng.randrange(len(out))
        return bytes(out[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))) + out[at:])
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def lab_error_or_success(fn, *args) -> str:
    try:
        fn(*args)
    except LabError:
        return "refused"
    return "ok"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture(scope="module")
def checkpoint_bytes(tmp_path_factory) -> bytes:
    cfg = ExperimentConfig()
    cfg.model = preset("baseline", "mnist")
    torch.manual_seed(0)
    model = build_model(cfg.model, (1, 28, 28), 10)
    path = tmp_path_factory.mktemp("ck") / "best.pt"
    save_checkpoint(path, model, cfg, [str(i) for i in range(10)], [0.13], [0.31], (1, 28, 28))
    return path.read_bytes()


def test_fuzzed_configs_end_in_a_config_error_or_a_config():
    rng = random.Random(15)
    base = real_config()
    outcomes = [lab_error_or_success(ExperimentConfig.from_dict, mutate_tree(base, rng)) for _ in range(400)]
    assert outcomes.count("refused") > 200 and outcomes.count("ok") > 10  # both sides exercised


def test_fuzzed_checkpoints_end_in_a_lab_error_or_a_model(checkpoint_bytes):
    rng = random.Random(16)
    before = peak_mb()
    outcomes = [lab_error_or_success(load_checkpoint, flip_bytes(checkpoint_bytes, rng)) for _ in range(100)]
    payload = torch.load(io.BytesIO(checkpoint_bytes), weights_only=True)
    for _ in range(100):
        changed = mutate_tree({k: v for k, v in payload.items() if k != "state_dict"}, rng, edits=2)
        changed["state_dict"] = payload["state_dict"]
        buf = io.BytesIO()
        torch.save(changed, buf)
        outcomes.append(lab_error_or_success(load_checkpoint, buf.getvalue()))
    assert outcomes.count("refused") > 80 and outcomes.count("ok") > 10
    assert peak_mb() - before < 300  # no case allocated a model of its own imagining


def test_fuzzed_archives_end_in_a_lab_error_or_a_folder(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for c in ("cat", "dog"):
            for i in range(3):
                png = io.BytesIO()
                Image.new("RGB", (12, 12), (40 * i, 90, 0)).save(png, "PNG")
                zf.writestr(f"pets/{c}/{i}.png", png.getvalue())
    good = buf.getvalue()
    rng = random.Random(17)
    outcomes = []
    for n in range(200):
        target = tmp_path / f"case{n}"
        outcome = lab_error_or_success(safe_extract_zip, flip_bytes(good, rng), target, 1 << 20)
        outcomes.append(outcome)
        if outcome == "refused":
            assert not target.exists()  # nothing left behind
    assert outcomes.count("refused") > 100 and outcomes.count("ok") > 10
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".partial")] == []
