"""The exported script: standalone, the lab's own model and transforms, and it retrains to the lab's accuracy."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
import types

import pytest
import torch
from PIL import Image

from lab.cli import main
from lab.config import ExperimentConfig, TransformStep
from lab.export.script import checkpoint_facts, script_source
from lab.model import build_model, preset
from lab.runs.store import RunStore
from test_journal_engine import plant

STDLIB = {"argparse", "json", "random", "time", "pathlib"}


def load_script(source: str) -> types.ModuleType:
    """The script as a module, without running main()."""
    module = types.ModuleType("exported")
    exec(compile(source, "exported.py", "exec"), module.__dict__)
    return module


def test_the_script_imports_only_torch_torchvision_and_the_standard_library(tmp_path):
    source = script_source(plant(RunStore(tmp_path)))
    tree = ast.parse(source)
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module.split(".")[0])
    assert modules == STDLIB | {"torch", "torchvision"}
    assert "v2.Compose(" in source and "class Net(nn.Module)" in source and "SEED = 0" in source
    assert 'if __name__ == "__main__":\n    main()' in source


@pytest.mark.parametrize("name,dataset,shape", [("baseline", "mnist", (1, 28, 28)), ("lenet5", "mnist", (1, 28, 28)),
                                                ("cifar_fast", "cifar10", (3, 32, 32))])
def test_the_scripts_model_is_the_labs_model(tmp_path, name, dataset, shape):
    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.model = dataset, preset(name, dataset)
    module = load_script(script_source(plant(RunStore(tmp_path), cfg)))
    assert module.INPUT_SHAPE == shape and module.NUM_CLASSES == 10
    ours, lab = module.Net(), build_model(cfg.model, shape, 10)
    assert {k: v.shape for k, v in ours.state_dict().items()} == {k: v.shape for k, v in lab.state_dict().items()}
    ours.load_state_dict(lab.state_dict())
    ours.eval(), lab.eval()
    x = torch.randn(3, *shape)
    assert torch.allclose(ours(x), lab(x), atol=1e-6)


def test_the_settings_and_the_augmentation_are_the_runs(tmp_path):
    cfg = ExperimentConfig()
    cfg.train.lr, cfg.train.optimizer, cfg.train.seed, cfg.train.schedule = 3e-4, "sgd", 7, "cosine"
    cfg.augment.transforms = [
        TransformStep("RandomCrop", {"size": 24, "padding": 2}),
        TransformStep("RandomRotation", {"degrees": 10, "interpolation": "bilinear"}),
        TransformStep("GaussianNoise", {"sigma": 0.05}),
    ]
    source = script_source(plant(RunStore(tmp_path), cfg))
    assert "v2.RandomCrop(24, padding=2)," in source
    assert "v2.RandomRotation(10, interpolation=v2.InterpolationMode.BILINEAR)," in source
    assert ">>>" not in source and source.startswith("#!/usr/bin/env python\n")
    module = load_script(source)
    assert (module.LR, module.OPTIMIZER, module.SEED, module.SCHEDULE) == (3e-4, "sgd", 7, "cosine")
    assert module.INPUT_SHAPE == (1, 24, 24)
    train_tf, eval_tf = module.make_transforms([0.5], [0.25])
    names = [type(t).__name__ for t in train_tf.transforms]
    # GaussianNoise works on floats only: to float just for it and back, as the lab's engine does
    assert names == ["ToImage", "RandomCrop", "RandomRotation", "ToDtype", "GaussianNoise", "ToDtype", "ToDtype",
                     "Normalize"]
    digit = Image.fromarray((torch.rand(28, 28) * 255).to(torch.uint8).numpy(), mode="L")
    torch.manual_seed(0)
    assert train_tf(digit).shape == (1, 24, 24) and train_tf(digit).dtype == torch.float32
    x = eval_tf(digit)  # validation and test images: the centre crop, normalised, never augmented
    expected = (torch.from_numpy(__import__("numpy").array(digit))[2:26, 2:26].float() / 255 - 0.5) / 0.25
    assert torch.allclose(x[0], expected, atol=1e-5)


def test_limit_6000_trains_on_the_6000_images_the_lab_would_pick(tmp_path, mnist):
    from lab.data.split import make_splits, stratified_split

    module = load_script(script_source(plant(RunStore(tmp_path))))
    labels = mnist.train_y
    train_idx, _ = stratified_split(labels, 0.2, 0)
    picked = train_idx[module.stratified_subset(labels[train_idx], 6000, 0)]
    assert len(picked) == 6000  # it was 5,999: a rounded fraction per class
    lab = make_splits(mnist, 0.2, 0, train_limit=6000)
    assert torch.equal(mnist.train_y[picked], lab.train_y) and torch.equal(mnist.train_x[picked], lab.train_x)


def test_the_script_template_itself_runs_as_a_module():
    import importlib

    module = importlib.import_module("lab.templates.training_script")
    train_tf, eval_tf = module.make_transforms([0.5], [0.25])
    assert module.Net()(eval_tf(torch.zeros(1, 28, 28, dtype=torch.uint8))[None]).shape == (1, 10)


def test_the_checkpoints_normalisation_is_written_into_the_script(tmp_path):
    from lab.model.checkpoint import save_checkpoint

    cfg = ExperimentConfig()
    run = plant(RunStore(tmp_path), cfg)
    save_checkpoint(run.checkpoint_path("best"), build_model(cfg.model, (1, 28, 28), 10), cfg,
                    [str(i) for i in range(10)], [0.1307], [0.3081], (1, 28, 28))
    assert checkpoint_facts(run)["mean"] == pytest.approx([0.1307])
    module = load_script(script_source(run))
    assert (module.MEAN, module.STD) == ((0.1307,), (0.3081,))


def test_cli_export_writes_a_script_that_compiles(tmp_path, capsys):
    run = plant(RunStore(tmp_path / "runs"))
    out = tmp_path / "train_it.py"
    assert main(["export", run.id, "--script", str(out), "--runs-dir", str(tmp_path / "runs")]) == 0
    compile(out.read_text(), str(out), "exec")
    assert str(out) in capsys.readouterr().out


def copy_cifar_tree(shared, dest, classes: int, per_class_train: int, per_class_test: int):
    """A small image-folder tree of real CIFAR-10 JPEGs: dest/{train,test}/<class>/*.jpg."""
    import shutil

    source = shared / "CIFAR10-jpg"
    if not source.is_dir():
        pytest.skip("CIFAR10-jpg is not in ../shared/datasets")
    for split, n in (("train", per_class_train), ("test", per_class_test)):
        for name in sorted(p.name for p in (source / split).iterdir())[:classes]:
            (dest / split / name).mkdir(parents=True)
            for f in sorted((source / split / name).iterdir())[:n]:
                shutil.copy(f, dest / split / name / f.name)
    return dest


def run_script(script, *args, cwd):
    proc = subprocess.run([sys.executable, str(script), "--epochs", "1", "--device", "cpu", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, OMP_NUM_THREADS="2"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def folder_script(tmp_path, shared_datasets) -> Path:
    """The exported script of a run on a 3-class drones folder (20 training, 5 test images a class)."""
    folder = copy_cifar_tree(shared_datasets, tmp_path / "drones", classes=3, per_class_train=20, per_class_test=5)
    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.data.color, cfg.data.image_size = str(folder), "grayscale", 16
    cfg.train.batch_size = 8
    script = tmp_path / "folder.py"
    script.write_text(script_source(plant(RunStore(tmp_path / "runs"), cfg)))
    return script


def test_an_image_folder_run_exports_a_script_that_trains_on_that_folder(tmp_path, shared_datasets):
    script = folder_script(tmp_path, shared_datasets)
    module = load_script(script.read_text())
    assert (module.INPUT_SHAPE, module.NUM_CLASSES) == ((1, 16, 16), 3)
    out = run_script(script, "--result", str(tmp_path / "r.json"), cwd=tmp_path)  # DATASET is the default folder
    assert "48 training, 12 validation, 15 test images" in out  # 20% of 20 per class held out
    assert 0.0 <= json.loads((tmp_path / "r.json").read_text())["val_accuracy"] <= 1.0


def test_the_script_scores_validation_and_looks_at_the_test_set_only_with_test_and_last(tmp_path, shared_datasets):
    script = folder_script(tmp_path, shared_datasets)
    assert "--test" in script.read_text().split('"""')[1]  # the header says how to look at the test set

    # by default: validation only, and a word on how to look at the test set once, at the end
    out = run_script(script, "--result", str(tmp_path / "val.json"), cwd=tmp_path)
    result = json.loads((tmp_path / "val.json").read_text())
    assert "test_accuracy" not in result and "test_loss" not in result
    assert result["val_accuracy"] in {k / 12 for k in range(13)}  # 12 validation images
    assert f"validation accuracy {result['val_accuracy']:.4f}" in out
    assert "test accuracy" not in out and out.strip().splitlines()[-1].endswith("run again with --test")

    # with --test: the same validation number, then the test score as the very last line, named the final look
    out = run_script(script, "--result", str(tmp_path / "test.json"), "--test", cwd=tmp_path)
    result = json.loads((tmp_path / "test.json").read_text())
    assert result["test_accuracy"] in {k / 15 for k in range(16)}  # 15 test images
    last = out.strip().splitlines()[-1]
    assert last.startswith("the final look at the test set: test accuracy") and f"{result['test_accuracy']:.4f}" in last
    assert out.index("validation accuracy") < out.index("test accuracy")

    # a folder without test/ and --test: said plainly, no number made up
    folder = tmp_path / "drones"
    for f in (folder / "test").rglob("*.jpg"):
        f.unlink()
    for d in sorted((folder / "test").iterdir()):
        d.rmdir()
    (folder / "test").rmdir()
    out = run_script(script, "--test", cwd=tmp_path)
    assert "has no test images" in out.strip().splitlines()[-1]


def test_a_cifar10_run_reads_a_cifar10_jpg_tree_from_the_data_dir(tmp_path, shared_datasets):
    copy_cifar_tree(shared_datasets, tmp_path / "data" / "CIFAR10-jpg", classes=10, per_class_train=10, per_class_test=2)
    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.model = "cifar10", preset("cifar_fast", "cifar10")
    cfg.augment.transforms = [TransformStep("RandomCrop", {"size": 32, "padding": 4}),
                              TransformStep("RandomHorizontalFlip", {})]
    script = tmp_path / "cifar.py"
    script.write_text(script_source(plant(RunStore(tmp_path / "runs"), cfg)))
    out = run_script(script, "--data-dir", str(tmp_path / "data"), cwd=tmp_path)
    assert "cifar10: 80 training, 20 validation, 20 test images" in out
    assert "validation accuracy" in out and "test accuracy" not in out  # the test set waits for --test
