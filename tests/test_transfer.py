"""Starting a run from weights that already exist (issue 22, item 2), as the spec reads:
the matching layers load and the head is new when the classes differ; frozen layers do not
move; a file with code in it is refused without running; ImageNet offline is one sentence at
once; a classroom student reaches only their own runs; the CLI's flags; one change in the journal."""

from __future__ import annotations

import json
import pickle
import socket
import time
from pathlib import Path

import pytest
import torch

from lab.cli import main
from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.model import preset
from lab.runs import journal
from lab.runs.changes import restore
from lab.runs.store import RunStore
from lab.train import session
from lab.train.state import trainable
from lab.train.transfer import imagenet_source, read_record, store_upload, weights_from_bytes


def config(classes, **train) -> ExperimentConfig:
    cfg = ExperimentConfig()
    cfg.model = preset("mnist_cnn", "mnist")  # BatchNorm in every block, a hidden layer in the head
    cfg.data.classes, cfg.data.train_limit, cfg.data.val_fraction = list(classes), 150, 0.05
    cfg.train.epochs, cfg.train.batch_size = 1, 50
    for k, v in train.items():
        setattr(cfg.train, k, v)
    return cfg


@pytest.fixture(scope="module")
def source_run(tmp_path_factory, shared_datasets):
    """One real run on MNIST's digits 0-4 (150 images, 1 epoch), in its own journal."""
    torch.set_num_threads(1)
    store = RunStore(tmp_path_factory.mktemp("transfer") / "runs")
    cfg = config(range(5))
    trained = store.create(cfg, name="digits 0-4")
    assert session.run(session.prepare(cfg, shared_datasets), trained).status == "finished"
    return trained


def source_weights(run) -> dict:
    from lab.model.checkpoint import load_checkpoint

    return load_checkpoint(run.model_checkpoint()).model.state_dict()


def test_a_class_subset_is_relabelled_and_train_limit_stays_stratified(shared_datasets):
    data, splits, _, _ = session.load_data(config([5, 6, 7, 8, 9]), shared_datasets)
    assert data.classes == ["5", "6", "7", "8", "9"]
    counts = splits.train_y.bincount().tolist()  # 150 images of 5 classes: about 30 each, as MNIST's shares
    assert sum(counts) == 150 and all(abs(c - 30) <= 2 for c in counts), counts
    full = session.load_data(ExperimentConfig(), shared_datasets)[0]
    assert len(splits.test_y) == int((full.test_y >= 5).sum())  # the test split keeps the same classes
    assert torch.equal(splits.test_x[splits.test_y == 0], full.test_x[full.test_y == 5])


def test_weights_from_a_run_load_into_the_matching_layers_and_the_head_is_new(source_run, shared_datasets):
    theirs = source_weights(source_run)
    prepared = session.prepare(config([5, 6, 7], init_from=source_run.id), shared_datasets, source_run.dir.parent)
    mine = prepared.model.state_dict()
    for name in ("block1.0.weight", "block3.1.running_var", "head.2.weight"):
        assert torch.equal(mine[name], theirs[name]), name
    assert theirs["head.5.weight"].shape == (5, 128) and mine["head.5.weight"].shape == (3, 128)
    scratch = session.prepare(config([5, 6, 7]), shared_datasets).model.state_dict()
    assert torch.equal(mine["head.5.weight"], scratch["head.5.weight"])  # the new head: as from scratch
    assert not torch.equal(mine["block1.0.weight"], scratch["block1.0.weight"])
    record = prepared.transfer
    assert record.head_new and record.source_classes == 5 and record.classes == 3
    assert record.new_shape == ["head.5.weight", "head.5.bias"] and record.new_missing == []
    assert len(record.loaded) == len(mine) - 2
    lines = record.english()
    assert lines[0].startswith(f"initialised from run {source_run.id}: {len(mine) - 2} of {len(mine)} weight")
    assert lines[1] == f"the head is new: run {source_run.id} has 5 classes, this run 3"
    # the same classes: the head loads too
    same = session.prepare(config(range(5), init_from=source_run.id), shared_datasets, source_run.dir.parent)
    assert torch.equal(same.model.state_dict()["head.5.weight"], theirs["head.5.weight"])
    assert not same.transfer.head_new and same.transfer.new_shape == []


def one_step(prepared):
    from lab.train.state import begin

    state = begin(prepared, None, time.perf_counter())
    before = {k: v.detach().clone() for k, v in state.model.state_dict().items()}
    state.model.train()
    x = prepared.splits.train_x[:50].float().div(255).sub(prepared.mean[0]).div(prepared.std[0])
    loss = torch.nn.functional.cross_entropy(state.model(x), prepared.splits.train_y[:50])
    loss.backward()
    state.optimizer.step()
    return before, state.model.state_dict(), state


@pytest.mark.parametrize("freeze,frozen_blocks", [("features", ["block1", "block2", "block3"]),
                                                  (2, ["block1", "block2"])])
def test_frozen_parameters_do_not_change_after_a_step_and_the_others_do(source_run, shared_datasets, freeze,
                                                                         frozen_blocks):
    cfg = config([5, 6, 7], init_from=source_run.id, freeze=freeze)
    before, after, state = one_step(session.prepare(cfg, shared_datasets, source_run.dir.parent))
    assert state.prepared.transfer.frozen == frozen_blocks
    optimised = {id(p) for g in state.optimizer.param_groups for p in g["params"]}
    for name, p in state.model.named_parameters():
        frozen = name.split(".")[0] in frozen_blocks
        assert p.requires_grad is not frozen and (id(p) in optimised) is not frozen, name
    for name in before:
        if name.endswith("num_batches_tracked"):
            continue
        moved = not torch.equal(before[name], after[name])
        # BatchNorm's running statistics of a frozen block stay too: it is kept in eval mode
        assert moved is (name.split(".")[0] not in frozen_blocks), name


def test_loaded_layers_can_learn_slower_than_the_new_head(source_run, shared_datasets):
    cfg = config([5, 6, 7], init_from=source_run.id, pretrained_lr_factor=0.1, lr=0.002)
    groups = trainable(session.prepare(cfg, shared_datasets, source_run.dir.parent), cfg.train)
    assert [g["lr"] for g in groups] == [0.002, pytest.approx(0.0002)]
    assert sum(p.numel() for p in groups[0]["params"]) == 128 * 3 + 3  # the new output layer only


class Payload:
    def __reduce__(self):
        return (Path.touch, (Path(MARKER),))


MARKER = ""


def test_a_pickle_with_code_in_it_is_refused_without_running(tmp_path, source_run):
    global MARKER
    MARKER = str(tmp_path / "ran")
    data = pickle.dumps({"block1.0.weight": Payload()})
    torch_file = tmp_path / "evil.pt"
    torch.save({"w": torch.zeros(1)}, torch_file)  # a real torch zip, then its pickle replaced
    import zipfile

    with zipfile.ZipFile(torch_file) as z:
        names = z.namelist()
        parts = {n: z.read(n) for n in names}
    pkl = next(n for n in names if n.endswith("data.pkl"))
    parts[pkl] = data
    with zipfile.ZipFile(torch_file, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    for payload in (torch_file.read_bytes(), data):
        with pytest.raises(LabError) as err:
            store_upload(source_run.dir.parent, "evil.pt", payload)
        assert err.value.key in ("transfer.unsafe", "transfer.damaged")
    assert not Path(MARKER).exists()  # nothing in it ran
    assert not (source_run.dir.parent / "weights").exists() or not list((source_run.dir.parent / "weights").iterdir())


def test_an_uploaded_state_dict_is_kept_in_the_journal_and_loads(source_run, shared_datasets):
    buf = __import__("io").BytesIO()
    torch.save(source_weights(source_run), buf)
    ref = store_upload(source_run.dir.parent, "digits.pt", buf.getvalue())
    assert ref.startswith("weights/digits-") and (source_run.dir.parent / ref).is_file()
    prepared = session.prepare(config([5, 6], init_from=ref), shared_datasets, source_run.dir.parent)
    assert prepared.transfer.source == ref and prepared.transfer.source_classes is None
    assert prepared.transfer.new_shape == ["head.5.weight", "head.5.bias"]
    buf = __import__("io").BytesIO()
    torch.save({"fc.weight": torch.zeros(3, 3)}, buf)  # another architecture's weights
    other = store_upload(source_run.dir.parent, "other.pt", buf.getvalue())
    with pytest.raises(LabError, match=f"nothing in {other} fits this model"):
        session.prepare(config([5, 6], init_from=other), shared_datasets, source_run.dir.parent)


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nobody listens there now: a connection is refused at once
    return port


def test_imagenet_offline_is_one_sentence_at_once_and_the_other_sources_still_work(
        source_run, shared_datasets, tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "empty-hub"))
    sentence = "ImageNet weights could not be downloaded (this machine is offline or the server did not answer)"
    monkeypatch.setenv("LAB_OFFLINE", "1")  # downloads off: not even tried
    with pytest.raises(LabError, match=r"^" + sentence.replace("(", r"\(").replace(")", r"\)")):
        imagenet_source("resnet18")
    monkeypatch.setenv("LAB_OFFLINE", "0")  # downloads on, the server unreachable: a real attempt
    monkeypatch.setenv("LAB_TORCH_WEIGHTS_URL", f"http://127.0.0.1:{closed_port()}/models")
    with pytest.raises(LabError) as err:
        imagenet_source("resnet18")
    assert err.value.key == "transfer.imagenet_offline" and not list((tmp_path / "empty-hub").rglob("*.pth"))
    with pytest.raises(LabError, match="ImageNet weights exist for torchvision's ready architectures only"):
        imagenet_source("mnist_cnn")
    prepared = session.prepare(config([5, 6], init_from=source_run.id), shared_datasets, source_run.dir.parent)
    assert prepared.transfer.loaded  # a run of one's own still loads


def test_a_classroom_student_reaches_only_their_own_runs(room, source_run, shared_datasets, tmp_path):
    mine = tmp_path / "runs" / "workspaces" / "aaaaaaaa1"
    mine.mkdir(parents=True)
    theirs = source_run.dir  # another student's run: its id, its folder, its checkpoint
    attacks = [theirs.name, str(theirs), str(theirs / "best.pt"), f"../../{theirs.parent.name}/{theirs.name}",
               "weights/../../bbbbbbbb2/weights/x.pt", str(theirs.parent / "weights" / "digits.pt")]
    for ref in attacks:
        with pytest.raises(LabError) as err:
            session.prepare(config([5, 6], init_from=ref), shared_datasets, mine)
        assert err.value.key in ("transfer.no_run", "transfer.outside", "transfer.no_file"), ref
        assert "digits 0-4" not in str(err.value)


def lab(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_cli_starts_from_a_run_and_refuses_bad_sources_in_one_line(source_run, capsys, tmp_path, monkeypatch):
    root = str(source_run.dir.parent)
    base = ["train", "--dataset", "mnist", "--preset", "mnist_cnn", "--train-limit", "60", "--epochs", "1",
            "--runs-dir", root]
    code, out, err = lab(capsys, *base, "--classes", "5,6,7", "--init-from", source_run.id, "--freeze", "features",
                         "--json")
    assert code == 0, err
    assert "note: the head is new: run" in err and "has 5 classes, this run 3" in err
    run_dir = Path(json.loads(out)["run_dir"])
    assert f"note: initialised from run {source_run.id}" in err and "note: frozen: block1, block2, block3" in err
    cfg = json.loads((run_dir / "config.json").read_text())["train"]
    assert (cfg["init_from"], cfg["freeze"]) == (source_run.id, "features")
    assert json.loads((run_dir / "config.json").read_text())["data"]["classes"] == [5, 6, 7]
    assert read_record(RunStore(root).get(run_dir.name)).frozen == ["block1", "block2", "block3"]
    global MARKER
    MARKER = str(tmp_path / "ran")
    (tmp_path / "notes.pt").write_text("not weights at all")
    evil = tmp_path / "evil.pt"
    evil.write_bytes(pickle.dumps(Payload()))
    bad = {"no-such-run": "no run no-such-run in this journal", str(tmp_path / "notes.pt"): "is not a PyTorch file",
           str(evil): "evil.pt was refused: it holds Python objects"}
    for ref, words in bad.items():
        code, out, err = lab(capsys, *base, "--init-from", ref)
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, (ref, err)
    assert not Path(MARKER).exists()  # the pickle's code never ran
    code, _, err = lab(capsys, "submit", *base[1:], "--init-from", "no-such-run")
    assert code == 2 and "no run no-such-run" in err and len(err.strip().splitlines()) == 1
    code, _, err = lab(capsys, *base, "--freeze", "everything")
    assert code == 2 and err.strip().endswith("'everything': use none, features or a whole number in 1..32")


def test_the_journal_shows_initialised_from_as_one_change(source_run, shared_datasets):
    store = RunStore(source_run.dir.parent)
    cfg = ExperimentConfig.from_dict(source_run.config().to_dict())
    cfg.train.init_from, cfg.train.freeze = source_run.id, "features"
    child = store.create(cfg, parent=source_run.id)
    change = journal.compare(source_run, child)
    assert change.fields == [("train.init_from", "scratch", f"{source_run.id} · freeze features")]
    assert not change.warning
    back = restore(cfg, "train.init_from", source_run.config())
    assert (back.train.init_from, back.train.freeze) == ("", "none")


def test_old_configs_without_the_fields_load_unchanged():
    old = ExperimentConfig().to_dict()
    del old["train"]["init_from"], old["train"]["freeze"], old["train"]["pretrained_lr_factor"], old["data"]["classes"]
    cfg = ExperimentConfig.from_dict(old)
    assert (cfg.train.init_from, cfg.train.freeze, cfg.data.classes) == ("", "none", []) and not cfg.train.transfer


def test_a_bad_uploaded_name_or_a_non_dict_file_is_refused():
    buf = __import__("io").BytesIO()
    torch.save([torch.zeros(2)], buf)
    with pytest.raises(LabError) as err:
        weights_from_bytes(buf.getvalue(), "list.pt")
    assert err.value.key == "transfer.not_state_dict"
    with pytest.raises(LabError):
        store_upload(".", "../x.pt", buf.getvalue())


def test_the_exported_script_loads_the_same_file_and_freezes_the_same_parameters(source_run, shared_datasets):
    from lab.export.script import script_source

    store = RunStore(source_run.dir.parent)
    cfg = config([5, 6, 7], init_from=source_run.id, freeze=2, pretrained_lr_factor=0.5)
    child = store.create(cfg, parent=source_run.id)
    record = session.prepare(cfg, shared_datasets, store.root).transfer
    text = script_source(child)
    assert f"INIT_FROM = {str(source_run.model_checkpoint().resolve())!r}" in text
    assert "CLASSES = [5, 6, 7]" in text and "FREEZE = 2" in text and "PRETRAINED_LR_FACTOR = 0.5" in text
    space = {"__name__": "exported"}
    exec(compile(text, "exported.py", "exec"), space)  # plain torch: its definitions, no training
    torch.manual_seed(0)
    model = space["Net"]()
    loaded = space["start_from"](model)
    assert loaded == set(record.loaded)
    assert sorted(n for n, p in model.named_parameters() if not p.requires_grad) == record.frozen_names
    assert torch.equal(model.state_dict()["block2.0.weight"], source_weights(source_run)["block2.0.weight"])
    groups = space["make_optimizer"](model, loaded).param_groups
    assert [g["lr"] for g in groups] == [cfg.train.lr, cfg.train.lr * 0.5]


def test_as_many_classes_but_other_ones_get_a_new_output_layer(source_run, shared_datasets):
    """Pre-trained on digits 0-4, fine-tuned on 5-9: the output layer fits in shape, but its
    rows meant other classes, so it starts new; everything before it loads."""
    theirs = source_weights(source_run)
    prepared = session.prepare(config([5, 6, 7, 8, 9], init_from=source_run.id), shared_datasets,
                               source_run.dir.parent)
    record, mine = prepared.transfer, prepared.model.state_dict()
    assert record.other_classes and record.head_new and record.new_head == ["head.5.weight", "head.5.bias"]
    assert not torch.equal(mine["head.5.weight"], theirs["head.5.weight"])
    assert torch.equal(mine["head.2.weight"], theirs["head.2.weight"])  # the hidden layer is a feature: loaded
    assert f"the head's output layer is new: run {source_run.id} was trained for other classes" in record.english()


def test_the_shape_tables_frozen_marks_follow_a_ready_networks_own_groups():
    """resnet18's groups are stem, layer1..layer4, head: freezing all but the last 2 leaves
    layer4 and fc training, whatever its rows' names look like (they once split at the dot)."""
    from lab.model import preset, trace
    from lab.model.freeze import frozen_rows

    cfg = preset("resnet18")
    rows = [layer.name for layer in trace(cfg, (3, 32, 32), 10).layers]
    frozen = frozen_rows(2, cfg, (3, 32, 32), 10, rows)
    assert {"conv1", "bn1", "layer1.0", "layer3.1"} <= frozen
    assert not frozen & {"layer4.0", "layer4.1", "fc"}
    mobile = preset("mobilenet_v3_small")
    rows = [layer.name for layer in trace(mobile, (3, 32, 32), 10).layers]
    assert "features.12.0" in frozen_rows("features", mobile, (3, 32, 32), 10, rows)
    assert frozen_rows("none", cfg, (3, 32, 32), 10, rows) == set()


def test_the_exported_script_freezes_a_ready_networks_groups_by_their_module_names():
    """The script's model is plain torchvision (no groups()): it gets the modules to freeze by
    name, resnet18's stem as its four layers, and layer4 keeps training under freeze 2."""
    from lab.model import build_model, preset
    from lab.model.freeze import freeze, frozen_modules

    model = build_model(preset("resnet18"), (3, 32, 32), 10)
    paths = frozen_modules(2, model)
    assert paths == ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3"]
    plain = build_model(preset("resnet18"), (3, 32, 32), 10)
    for path in paths:  # what the script does with them
        for p in plain.get_submodule(path).parameters():
            p.requires_grad_(False)
    freeze(model, 2)  # what the lab does
    assert [n for n, p in plain.named_parameters() if not p.requires_grad] == \
        [n for n, p in model.named_parameters() if not p.requires_grad]
