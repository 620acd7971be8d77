"""Hostile inputs: crafted checkpoints, configs, archives and numbers are refused with one
line (LabError / exit 2), before they allocate memory, read the server's disk or fill it."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
import torch

from lab.model.checkpoint import FORMAT, VERSION, load_checkpoint
from lab.cli import main
from lab.config import ConfigError, ExperimentConfig, limits
from lab.data import archive
from lab.data.archive import MARKER, extract_zip_cached, safe_extract_zip, sweep_uploads
from lab.errors import LabError
from lab.model import build_model, preset
from lab.model.bounds import BoundsError, check_plan, footprint
from lab.model.plan import make_plan
from lab.predict.source_data import FolderNotFollowed, checkpoint_data

ROOT = Path(__file__).resolve().parent.parent


# --- checkpoints -------------------------------------------------------------------------------

def crafted(**changes) -> bytes:
    """A real, small checkpoint of the baseline on 1x28x28 whose stored fields are then changed."""
    cfg = ExperimentConfig()
    cfg.model = preset("baseline", "mnist")
    model = build_model(cfg.model, (1, 28, 28), 10)
    data = {"format": FORMAT, "version": VERSION, "state_dict": model.state_dict(), "config": cfg.to_dict(),
            "classes": [str(i) for i in range(10)], "mean": [0.13], "std": [0.31], "input_shape": [1, 28, 28],
            "dataset": "mnist"}
    for key, value in changes.items():
        if key == "hidden":
            data["config"]["model"]["hidden"] = value
        elif key == "dataset":
            data["config"]["data"]["dataset"] = value
        else:
            data[key] = value
    buf = io.BytesIO()
    torch.save(data, buf)
    return buf.getvalue()


def test_a_crafted_checkpoint_is_refused_before_allocating(tmp_path):
    """The issue's two files: a 3000x3000 input and a billion hidden units. Loaded in a fresh
    process, the peak memory (ru_maxrss) grows by less than 60 MB; building either model
    would take 2.9 GB and 21 TB."""
    big_input, big_hidden = tmp_path / "input.pt", tmp_path / "hidden.pt"
    big_input.write_bytes(crafted(input_shape=[1, 3000, 3000]))
    big_hidden.write_bytes(crafted(hidden=[10**9]))
    assert max(big_input.stat().st_size, big_hidden.stat().st_size) < 300_000
    script = textwrap.dedent(f"""
        import resource, sys, torch
        sys.path.insert(0, {str(ROOT)!r})
        from lab.model.checkpoint import load_checkpoint
        from lab.errors import LabError
        load_checkpoint({str(big_input).replace("input.pt", "warm.pt")!r})  # imports and one real load first
        for path in sys.argv[1:]:
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            try:
                load_checkpoint(path)
                print("LOADED")
            except LabError as exc:
                grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
                print(grown_kb, exc)
    """)
    (tmp_path / "warm.pt").write_bytes(crafted())
    out = subprocess.run([sys.executable, "-c", script, str(big_input), str(big_hidden)], capture_output=True,
                         text=True, timeout=300, env={**os.environ, "LAB_TORCH_THREADS": "1"})
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2, out.stderr[-2000:]
    grown = [int(line.split()[0]) for line in lines]
    assert all(kb < 60_000 for kb in grown), lines
    assert "input size: 3000x3000 pixels is more than the limit of 512" in lines[0]
    assert "hidden: 1000000000 units is more than the limit of 8192" in lines[1]


@pytest.mark.parametrize("changes, message", [
    ({"input_shape": [64, 28, 28]}, "input channels: 64 is more than the limit of 4"),
    ({"classes": [str(i) for i in range(5000)]}, "classes: 5000 is more than the limit of 1000"),
    ({"hidden": [4096] * 9}, "9 hidden layers is more than the limit of 8"),
    ({"input_shape": [1, 28, 10**40]}, "input size"),
    ({"std": [float("nan")]}, "normalisation"),
    ({"version": 10**50}, "newer CNN Lab"),
])
def test_out_of_bounds_fields_name_the_field_and_the_limit(changes, message):
    with pytest.raises(LabError, match=message.replace("(", r"\(")):
        load_checkpoint(crafted(**changes))


def test_refused_files_say_what_they_are_not_and_never_how_to_unpickle():
    texts = []
    for data in (b"hello, I am a text file\n" * 10, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, crafted()[:2000]):
        with pytest.raises(LabError) as err:
            load_checkpoint(data)
        texts.append(str(err.value))
    assert "this file is a text file" in texts[0] and "this file is a PNG picture" in texts[1]
    assert "damaged or cut short" in texts[2]

    class Evil:
        def __reduce__(self):
            return (print, ("ran",))

    buf = io.BytesIO()
    torch.save({"format": FORMAT, "model": Evil()}, buf)
    with pytest.raises(LabError) as err:
        load_checkpoint(buf.getvalue())
    texts.append(str(err.value))
    assert "holds Python objects" in texts[3] and "never runs code" in texts[3]
    for text in texts:
        assert "weights_only" not in text and "torch.load" not in text and "\n" not in text
        assert "best.pt" in text  # what to do instead


def test_an_uploaded_checkpoint_never_opens_the_folder_it_names(tmp_path, monkeypatch):
    secret = tmp_path / "server" / "private"
    for c in ("a", "b"):
        (secret / c).mkdir(parents=True)
    monkeypatch.setenv("LAB_WORKSPACES", "private")
    for folder in (str(secret), "/etc", "/no/such/folder"):  # existing, system and missing: one answer
        ck = load_checkpoint(crafted(dataset=folder))
        assert ck.origin == "upload"
        with pytest.raises(FolderNotFollowed, match="pick a test picture yourself"):
            checkpoint_data(ck)
    # built-in datasets go by name only, whatever spelling the file uses
    assert checkpoint_data(load_checkpoint(crafted(dataset="Fashion_MNIST"))).dataset == "fashion-mnist"
    # a run of the lab's own journal on an unpacked upload keeps its folder
    monkeypatch.setenv("LAB_UPLOADS_DIR", str(tmp_path / "uploads"))
    own = tmp_path / "run.pt"
    own.write_bytes(crafted(dataset=str(tmp_path / "uploads" / "abc" / "pets")))
    assert checkpoint_data(load_checkpoint(own)).dataset.endswith("pets")
    own.write_bytes(crafted(dataset=str(secret)))
    with pytest.raises(FolderNotFollowed):
        checkpoint_data(load_checkpoint(own))  # private server: not a server folder either


# --- model bounds ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["baseline", "lenet5", "mnist_cnn", "fashion_cnn", "cifar_cnn", "cifar_fast"])
def test_every_preset_fits_the_bounds_on_every_input_the_pages_offer(name):
    for shape in [(1, 28, 28), (3, 32, 32), (1, 256, 256), (3, 256, 256), (3, 64, 64)]:
        plan = make_plan(preset(name, "mnist" if shape[0] == 1 else "cifar10"), shape, 10)
        fp = check_plan(plan)
        assert fp.params < limits.MAX_PARAMS and fp.activation_mb < limits.MAX_ACTIVATION_MB


def test_footprint_counts_every_weight_and_output_of_the_real_model():
    cfg = preset("cifar_fast", "cifar10")
    fp = footprint(make_plan(cfg, (3, 32, 32), 10))
    model = build_model(cfg, (3, 32, 32), 10)
    assert fp.params == sum(p.numel() for p in model.parameters())
    outputs = []
    hooks = [m.register_forward_hook(lambda m, i, o: outputs.append(o.numel()))
             for m in model.modules() if not list(m.children())]
    model.eval()
    model(torch.zeros(1, 3, 32, 32))
    for h in hooks:
        h.remove()
    # every leaf layer's output plus the input; the residual addition is one more the hooks miss
    assert fp.activation_bytes / 4 >= sum(outputs) + 3 * 32 * 32


def test_a_model_too_large_is_refused_by_the_builder_with_the_limit():
    cfg = preset("baseline")
    cfg.blocks[0].filters, cfg.blocks[0].pool = 1024, "none"
    cfg.hidden = [4096]  # 1024 x 254 x 254 features x 4096 units
    with pytest.raises(BoundsError, match="parameters: .* more than the limit of 50,000,000"):
        build_model(cfg, (3, 256, 256), 10)
    cfg.hidden = []
    cfg.head = "gap"
    cfg.blocks[0].convs = 3
    cfg.blocks[0].padding = 1
    with pytest.raises(BoundsError, match="activation memory: one image needs about .* limit of 256 MB"):
        build_model(cfg, (3, 256, 256), 10)


# --- configs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ('{"train": {"seed": 1234567890123456789012345678901}}', "more than 30 digits"),
    ('{"train": {"seed": 4294967296}}', "train.seed: 4294967296 is outside 0..4294967295"),
    ('{"train": {"epochs": ' + "9" * 5000 + "}}", "far too long"),
    ('{"train": {"lr": ' + "9" * 400 + "}}", "more than 30 digits"),
    ('{"data": ' * 100_000 + "1" + "}" * 100_000, "nested more than 32 levels"),
    ('{"data": ' * 40 + "1" + "}" * 40, "nested more than 32 levels"),
    ('{"model": {"hidden": [200000]}}', "model.hidden: 200000 units is more than the limit of 8192"),
    ('{"model": {"blocks": [{"kernel": [3, 100000]}]}}', "kernel: 100000 is more than the limit of 512"),
    ('{"data": {"split_seed": -1}}', "split_seed"),
    ('{"train": {"grad_clip": Infinity}}', "grad_clip"),
    ('{"train": {"lr": NaN}}', "lr"),
    ('{"1": 2, "data": {}}', "unknown field 1"),
])
def test_hostile_configs_are_one_config_error(text, message):
    with pytest.raises(ConfigError, match=message):
        ExperimentConfig.from_json(text)


def test_train_config_has_one_validate():
    from lab.config import train

    source = Path(train.__file__).read_text()
    assert source.count("def validate(") == 1


# --- archives ----------------------------------------------------------------------------------

def make_zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, payload in entries.items():
            zf.writestr(name, payload)
    return buf.getvalue()


def declare_sizes(data: bytes, size: int) -> bytes:
    """Rewrite every central-directory entry's uncompressed size (a lying archive)."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", out, at + 24, size)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def test_a_bomb_exactly_at_the_cap_is_refused_and_writes_nothing(tmp_path):
    cap = 1 << 20
    bomb = make_zip({"a/x.bin": b"\0" * (cap // 2), "b/x.bin": b"\0" * (cap // 2)})
    assert len(bomb) < cap / 100
    with pytest.raises(LabError, match=r"expands to 1\.0 MB; it must stay under 1\.0 MB"):
        safe_extract_zip(bomb, tmp_path / "out", max_bytes=cap)
    assert list(tmp_path.iterdir()) == []
    # one byte under the cap is fine
    safe_extract_zip(make_zip({"a/x.bin": b"\0" * (cap - 1)}), tmp_path / "ok", max_bytes=cap)


def test_the_real_cap_is_checked_from_the_declared_sizes_before_writing(tmp_path):
    lying = declare_sizes(make_zip({"a/x.bin": b"1", "b/x.bin": b"2"}), limits.MAX_ZIP_BYTES // 2)
    with pytest.raises(LabError, match="expands to 512.0 MB; it must stay under 512.0 MB"):
        safe_extract_zip(lying, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_real_bytes_are_counted_and_extraction_stops_at_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "_check_entries", lambda *a: None)  # as if the declared sizes passed
    bomb = make_zip({f"c{i}/x.bin": b"\0" * 300_000 for i in range(10)})
    with pytest.raises(LabError, match="more than its entries declare"):
        safe_extract_zip(bomb, tmp_path / "out", max_bytes=1_000_000)
    assert list(tmp_path.iterdir()) == []  # the partial copy is gone too


@pytest.mark.parametrize("damage", ["truncated", "understated", "crc", "garbage"])
def test_damaged_or_lying_zips_are_one_line(tmp_path, damage):
    good = make_zip({f"{c}/{i}.bin": os.urandom(2000) for c in ("a", "b") for i in range(3)}, zipfile.ZIP_STORED)
    bad = {"truncated": good[: len(good) // 2], "understated": declare_sizes(good, 10),
           "crc": good.replace(good[100:110], b"\xff" * 10, 1), "garbage": b"PK\x03\x04" + os.urandom(500)}[damage]
    with pytest.raises(LabError) as err:
        safe_extract_zip(bad, tmp_path / "out")
    assert "\n" not in str(err.value) and ("zip" in str(err.value) or "archive" in str(err.value))
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_zip_is_exit_2_and_one_line_in_the_cli(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LAB_UPLOADS_DIR", str(tmp_path / "uploads"))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(make_zip({"a/1.png": os.urandom(5000), "b/1.png": os.urandom(5000)})[:3000])
    for argv in (["audit", str(bad)], ["train", "--dataset", str(bad), "--epochs", "1"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err and "archive" in err


def test_uploads_are_unpacked_once_and_swept_by_age_and_size(tmp_path):
    first = make_zip({f"{c}/x.bin": b"a" * 1000 for c in ("a", "b")})
    second = make_zip({f"{c}/y.bin": b"b" * 1000 for c in ("a", "b")})
    root = extract_zip_cached(first, tmp_path)
    assert extract_zip_cached(first, tmp_path) == root  # the same content: the same copy
    copies = [p for p in tmp_path.iterdir()]
    assert len(copies) == 1 and json.loads((copies[0] / MARKER).read_text())["bytes"] == 2000
    extract_zip_cached(second, tmp_path)
    now = time.time()
    os.utime(copies[0] / MARKER, (now - 100 * 3600, now - 100 * 3600))  # unused for 100 hours
    assert sweep_uploads(tmp_path, now=now) == [copies[0].name]
    extract_zip_cached(first, tmp_path)
    # over the size cap the oldest copy goes first
    removed = sweep_uploads(tmp_path, incoming=1500, max_bytes=4000, now=time.time() + 10)
    assert len(removed) == 1 and len(list(tmp_path.iterdir())) == 1
    (tmp_path / "leftover").mkdir()
    os.utime(tmp_path / "leftover", (now - 7200, now - 7200))  # an unfinished copy from a crash
    assert "leftover" in sweep_uploads(tmp_path, now=now)


# --- the command line ----------------------------------------------------------------------------

@pytest.mark.parametrize("argv, words", [
    (["audit", "mnist", "--seed", "1" * 31], "--seed"),
    (["train", "--dataset", "mnist", "--seed", "1" * 31], "seed"),
    (["train", "--dataset", "mnist", "--epochs", "9" * 5000], "epochs"),
    (["predict", "--run", "x.pt", "--image", "/dev/zero"], "not a regular file"),
    (["predict", "--run", "/dev/zero", "--image", "x.png"], "no model at /dev/zero"),
    (["predict", "--run", "x", "--image", "x", "--top", "-1"], "--top"),
    (["augment", "--dataset", "mnist", "--transforms", "", "--n", "0", "--out", "a.png"], "--n"),
    (["model", "--preset", "baseline", "--input", "1,3000,3000"], "limit of 512"),
    (["layer", "conv2d", "--input", "1," + "9" * 400 + ",3", "--kernel", "3"], "400-digit number"),
])
def test_cli_inputs_are_exit_2_and_one_line(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LAB_RUNS_DIR", str(tmp_path / "runs"))
    for name in ("x.png", "x.pt"):
        (tmp_path / name).write_bytes(b"\x89PNG")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").rglob("config.json"))


def test_config_files_from_the_cli_are_read_with_limits(tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (limits.MAX_CONFIG_BYTES + 1))
    for path, words in ((deep, "nested"), (huge, "more than the limit")):
        assert main(["train", "--config", str(path)]) == 2
        assert words in capsys.readouterr().err
    assert main(["model", "--spec", str(deep), "--input", "1,28,28"]) == 2
    assert "nested" in capsys.readouterr().err


def test_argument_types_bound_threads_and_seeds():
    import argparse

    from lab.cli._args import seed_arg, threads_arg

    assert threads_arg("4") == 4 and seed_arg(str(2**32 - 1)) == 2**32 - 1
    for parse, text in ((threads_arg, "-1"), (threads_arg, "0"), (seed_arg, "1" * 31), (seed_arg, "１２"),
                        (threads_arg, "4.5")):
        with pytest.raises(argparse.ArgumentTypeError):
            parse(text)


def test_workspace_ids_are_ascii(monkeypatch):
    from lab.classroom.workspaces import workspace_root

    monkeypatch.setenv("LAB_WORKSPACES", "private")
    assert workspace_root("abcdEF12").name == "abcdEF12"
    with pytest.raises(ValueError):
        workspace_root("１２３４５６７８")  # full-width digits pass str.isalnum()
