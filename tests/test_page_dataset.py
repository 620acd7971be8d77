"""The Dataset page on real MNIST, in English and Russian: class-count chart, split
sizes, exact mean/std with the Normalize line, duplicates and outliers; a folder's
unreadable file is listed; a missing folder is a message, not a traceback."""

from __future__ import annotations

import json

import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

from lab.config import ExperimentConfig
from lab.i18n import translate


def dataset_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=180)
    at.switch_page("pages/dataset.py")
    at.session_state["lab.language"] = lang
    return at.run()


def pick_folder(at: AppTest, lang: str):
    """Choose "a local image folder" in the picker; returns the folder-path input."""
    picker = next(s for s in at.main.selectbox if s.label == translate("dataset.source", lang))
    picker.select(translate("dataset.source_folder", lang)).run()
    return next(ti for ti in at.text_input if ti.label == translate("dataset.folder_path", lang))


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart")]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_mnist_audit_in_english_then_russian():
    at = dataset_page("en")
    assert not at.exception and not at.error
    assert at.title[0].value == translate("nav.dataset", "en")
    # the class-count chart: one bar per class and split
    specs = charts(at)
    assert len(specs) == 1 and specs[0]["mark"]["type"] == "bar"
    assert specs[0]["config"]["locale"]["number"]["thousands"] == ","
    m = metrics(at)
    assert m["train"] == "48,000" and m["validation"] == "12,000" and m["test"] == "10,000"
    assert m["mean, channel 0"] == "0.1307" and m["std, channel 0"] == "0.3081"
    assert m["Imbalance (max / min in train)"] == "1.24"
    assert [c.value for c in at.code] == ["transforms.Normalize(mean=(0.1307,), std=(0.3081,))"]
    assert translate("dataset.dup_title", "en") in [s.value for s in at.subheader]

    at.session_state["lab.language"] = "ru"  # same process: the audit comes from the cache
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Датасет"
    subheaders = [s.value for s in at.subheader]
    assert translate("dataset.counts_title", "ru") in subheaders
    assert translate("dataset.norm_title", "ru") in subheaders
    m = metrics(at)
    assert m["обучение"] == "48\u00a0000" and m["среднее, канал 0"] == "0.1307" and m["ст. откл., канал 0"] == "0.3081"
    assert len(charts(at)) == 1
    # the chart's axes group digits as the page does: 5 000, not 5,000 (fractions keep the point)
    assert charts(at)[0]["config"]["locale"]["number"]["thousands"] == "\u00a0"
    assert charts(at)[0]["config"]["locale"]["number"]["decimal"] == "."


def test_a_train_cap_is_stated_and_the_audit_is_over_the_capped_set(mnist):
    from lab.data.audit import split_indices
    from lab.data import channel_stats

    train_idx, val_idx = split_indices(mnist, 0.2, 0, 5000)
    mean = channel_stats(mnist.train_x[torch.cat([train_idx, val_idx])])[0][0]
    for lang, sep in (("en", ","), ("ru", "\u00a0")):
        at = AppTest.from_file("../app.py", default_timeout=180)
        at.switch_page("pages/dataset.py")
        at.session_state["lab.language"] = lang
        exp = ExperimentConfig()
        exp.data.train_limit = 5000
        at.session_state["lab.experiment"] = exp
        at.run()
        assert not at.exception and not at.error
        m = metrics(at)
        assert m[translate("dataset.split_train", lang)] == f"5{sep}000"
        assert m[translate("dataset.mean", lang, c=0)] == f"{mean:.4f}"  # not the 60,000 images' 0.1307
        info = translate("dataset.capped", lang, limit=f"5{sep}000", used=f"17{sep}000", train=f"5{sep}000",
                         val=f"12{sep}000", left=f"43{sep}000")
        assert info in [i.value for i in at.info]
        assert translate("dataset.over_used", lang, used=f"17{sep}000", limit=f"5{sep}000") in [
            c.value for c in at.caption]


def test_picking_some_classes_keeps_only_them_relabelled_and_one_class_is_refused():
    at = dataset_page("ru")
    picker = next(m for m in at.multiselect if m.label == translate("dataset.keep_classes", "ru"))
    assert picker.options == [str(d) for d in range(10)] and picker.value == []  # empty: every class
    picker.set_value(["7", "3"]).run()
    assert not at.exception and not at.error
    exp = at.session_state["lab.experiment"]
    assert exp.data.classes == [3, 7]  # the dataset's numbers, in its order: 3 becomes label 0, 7 label 1
    # the counts are those of digits 3 and 7 alone (MNIST: 6,131 + 6,265 training, 1,010 + 1,028 test)
    counts = {k: v.replace("\u00a0", " ") for k, v in metrics(at).items()}
    assert "2 038" in counts.values() and "9 917" in counts.values()  # test 1,010 + 1,028; train 80 % of 12,396
    # the sidebar's summary says so (drawn by app.py around the page)
    assert translate("sidebar.data_classes", "ru", n=2) == ", 2 класса"
    assert translate("sidebar.data_classes", "ru", n=5) == ", 5 классов"
    # one class cannot be trained: a message, and the experiment keeps its two
    picker = next(m for m in at.multiselect if m.label == translate("dataset.keep_classes", "ru"))
    picker.set_value(["3"]).run()
    assert not at.exception and at.error
    assert at.session_state["lab.experiment"].data.classes == [3, 7]
    # another dataset starts from all its classes, not from MNIST's numbers 3 and 7
    source = next(s for s in at.main.selectbox if s.label == translate("dataset.source", "ru"))
    source.select(source.options[1]).run()  # the second built-in dataset
    assert not at.exception and not at.error
    data = at.session_state["lab.experiment"].data
    assert data.dataset != "mnist" and data.classes == []


def test_folder_with_a_broken_file_lists_it_and_becomes_the_experiments_data(tmp_path, mnist):
    for label in (0, 1):
        folder = tmp_path / f"class{label}"
        folder.mkdir()
        for i in range(4):
            idx = int((mnist.train_y == label).nonzero()[i])
            Image.fromarray(mnist.train_x[idx, 0].numpy()).resize((40, 40)).save(folder / f"{i}.png")
    (tmp_path / "class1" / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    at = dataset_page("en")
    pick_folder(at, "en").input(str(tmp_path)).run()
    assert not at.exception and not at.error
    assert metrics(at)["Size (H × W)"] == "32 × 32"
    expander = [e for e in at.expander if "(1)" in e.label]
    assert expander and "broken.jpg" in expander[0].dataframe[0].value.to_string()
    assert at.session_state["lab.experiment"].data.dataset == str(tmp_path)


def test_missing_folder_is_an_error_message_and_keeps_the_experiment(tmp_path):
    at = dataset_page("ru")
    pick_folder(at, "ru").input(str(tmp_path / "nope")).run()
    assert not at.exception
    assert at.error and at.error[0].value.startswith("Проблема:")
    assert at.session_state["lab.experiment"].data.dataset == "mnist"


def test_without_the_full_dataset_the_page_says_it_audits_the_samples(tmp_path, monkeypatch):
    monkeypatch.setenv("LAB_DATA_DIR", str(tmp_path))  # empty, and downloads are off in tests
    at = dataset_page("en")
    assert not at.exception and not at.error
    assert at.warning and "bundled samples" in at.warning[0].value
    assert len(charts(at)) == 1
    assert metrics(at)["test"] != "10,000"  # the samples, not the full test set


def test_a_classroom_server_offers_uploads_but_no_paths_on_its_own_disk(monkeypatch):
    monkeypatch.setenv("LAB_WORKSPACES", "private")
    at = dataset_page("en")
    picker = next(s for s in at.main.selectbox if s.label == translate("dataset.source", "en"))
    assert translate("dataset.source_upload", "en") in picker.options
    assert translate("dataset.source_folder", "en") not in picker.options
    monkeypatch.setenv("LAB_ALLOW_SERVER_FOLDERS", "1")  # the teacher's explicit choice
    at = dataset_page("en")
    picker = next(s for s in at.main.selectbox if s.label == translate("dataset.source", "en"))
    assert translate("dataset.source_folder", "en") in picker.options


def test_russian_labels_are_short_enough_and_say_seed_in_russian():
    """Russian labels that were cut short in a metric or a narrow box, and an English word."""
    from lab.i18n import catalogue

    texts = catalogue()
    assert "Seed" not in texts["dataset.sample_seed"]["ru"] and "Seed" not in texts["dataset.split_seed"]["ru"]
    for key in ("dataset.imbalance", "training.mixed_precision"):  # drawn in a quarter-width column
        assert len(texts[key]["ru"]) <= len(texts[key]["en"]), key
