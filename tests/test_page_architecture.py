"""The Architecture page in both languages: calculator values, the builder's live trace,
a broken architecture marked at its layer, presets and edits reaching the experiment."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lab.config import ConvBlock, DataConfig, ExperimentConfig, ModelConfig
from lab.model import preset
from lab.i18n import translate


def open_page(lang: str = "en", experiment: ExperimentConfig | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["lab.language"] = lang
    if experiment is not None:
        at.session_state["lab.experiment"] = experiment
    at.run()
    at.switch_page("pages/architecture.py").run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, key: str, lang: str = "en") -> str:
    label = translate(key, lang)
    return next(m.value for m in at.metric if m.label == label)


def broken_experiment() -> ExperimentConfig:
    # five unpadded conv+pool blocks on 28x28: 26/13, 11/5, 3/1, then a 3x3 conv on 1x1
    return ExperimentConfig(model=ModelConfig(preset="baseline", blocks=[ConvBlock(8) for _ in range(5)]))


def test_calculator_gives_30_not_28_and_names_the_bad_parameter():
    at = open_page()
    for key, value in (("arch_calc_c", 3), ("arch_calc_h", 32), ("arch_calc_w", 32)):
        at.number_input(key=key).set_value(value)
    at.run()
    assert metric(at, "architecture.output") == "16 × 30 × 30"
    assert "⌊29 / 1⌋ + 1 = 29 + 1 = 30" in at.code[0].value
    assert any("Not 28" in c.value for c in at.caption)
    at.text_input(key="arch_calc_k").set_value("40").run()
    assert not at.exception
    assert any("kernel" in e.value and "(< 1)" in e.value for e in at.error)


def test_calculator_pool_shows_dropped_rows():
    at = open_page()
    at.radio(key="arch_calc_kind").set_value("maxpool2d")
    at.number_input(key="arch_calc_h").set_value(33)
    at.text_input(key="arch_calc_k").set_value("2").run()
    assert metric(at, "architecture.output") == "1 × 16 × 14"
    assert any("1 bottom row(s)" in i.value for i in at.info)
    at.checkbox(key="arch_calc_ceil").check().run()
    assert metric(at, "architecture.output") == "1 × 17 × 14"


def test_builder_traces_the_baseline_and_computes_in_features():
    at = open_page()
    assert metric(at, "architecture.metric_params") == "54,410"
    assert metric(at, "architecture.metric_features") == "5,408"
    table = at.dataframe[0].value
    assert list(table[translate("architecture.col.output", "en")]) == \
        ["32 × 26 × 26", "32 × 26 × 26", "32 × 13 × 13", "5408", "10"]
    assert "nn.Linear(5408, 10)" in at.code[-1].value


def test_broken_architecture_marks_its_layer_with_the_fix():
    at = open_page(experiment=broken_experiment())
    table = at.dataframe[0].value
    problems = table[translate("architecture.col.problem", "en")]
    marked = table[problems != ""]
    assert list(marked[translate("architecture.col.layer", "en")]) == ["block4.conv1"]
    assert "add padding (1 keeps the size)" in marked.iloc[0][translate("architecture.col.problem", "en")]
    assert any("block 4, conv1" in e.value for e in at.error)
    assert translate("architecture.code_broken", "en") in [i.value for i in at.info]
    assert any("5 poolings" in i.value for i in at.info)  # the rule-of-thumb hint too


def test_broken_architecture_in_russian():
    at = open_page("ru", broken_experiment())
    assert at.title[0].value == translate("nav.architecture", "ru")
    problems = at.dataframe[0].value[translate("architecture.col.problem", "ru")]
    text = [p for p in problems if p][0]
    assert text.startswith("блок 4, conv1: ядро 3x3") and "добавьте паддинг" in text
    assert any("блок 4" in e.value for e in at.error)
    assert metric(at, "architecture.output", "ru") == "16 × 26 × 26"


def test_preset_and_edits_reach_the_experiment_the_training_page_trains(runs_dir):
    at = open_page(experiment=ExperimentConfig(data=DataConfig(dataset="cifar10")))
    assert at.selectbox(key="arch_preset_en").value == "baseline"  # an empty journal: the course's first step
    at.selectbox(key="arch_preset_en").set_value("cifar_fast").run()
    at.button[[b.label for b in at.button].index(translate("architecture.use_preset", "en"))].click().run()
    exp = at.session_state["lab.experiment"]
    assert exp.model == preset("cifar_fast", "cifar10")
    assert metric(at, "architecture.metric_params") == "220,066"
    version = at.session_state["lab.architecture_editor"]
    at.number_input(key=f"arch{version}_b0_f").set_value(32).run()
    assert not at.exception
    assert at.session_state["lab.experiment"].model.blocks[0].filters == 32
    at.text_input(key=f"arch{version}_b0_k").set_value("3,5").run()
    assert at.session_state["lab.experiment"].model.blocks[0].kernel == [3, 5]


def test_add_and_remove_blocks():
    at = open_page()
    add = translate("architecture.add_block", "en")
    at.button[[b.label for b in at.button].index(add)].click().run()
    model = at.session_state["lab.experiment"].model
    assert [b.filters for b in model.blocks] == [32, 64]
    remove = translate("architecture.remove_block", "en", n=1)
    at.button[[b.label for b in at.button].index(remove)].click().run()
    assert [b.filters for b in at.session_state["lab.experiment"].model.blocks] == [64]
    assert not at.exception


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_text_key_of_the_page_exists_in_both_languages(lang):
    from lab.i18n import catalogue

    keys = [k for k in catalogue() if k.startswith("architecture.")]
    assert len(keys) > 60
    for k in keys:
        assert catalogue()[k][lang].strip()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_calculator_shows_its_stride_and_no_stray_brackets(lang):
    at = open_page(lang)
    assert at.text_input(key="arch_calc_s_conv2d").value == "1"  # it started empty
    assert translate("architecture.nothing_dropped", lang) in [c.value for c in at.caption]  # no "(⌊…⌋)" after it
    if lang == "en":  # AppTest formats the builder's other selectboxes in English: interact in English only
        at.radio(key="arch_calc_kind").set_value("maxpool2d").run()
        assert at.text_input(key="arch_calc_s_maxpool2d").value == "3"  # a pooling's default: its kernel


@pytest.mark.parametrize("lang,sep", [("en", ","), ("ru", "\u00a0")])
def test_a_folder_dataset_is_named_not_its_server_path_and_numbers_read_locally(tmp_path, mnist, lang, sep):
    from PIL import Image

    root = tmp_path / "uploads" / "0123456789abcdef" / "drones"
    for label in (0, 1):
        (root / f"class{label}").mkdir(parents=True)
        for i in range(3):
            Image.fromarray(mnist.train_x[i + 10 * label, 0].numpy()).save(root / f"class{label}" / f"{i}.png")
    exp = ExperimentConfig(data=DataConfig(dataset=str(root), image_size=32, color="rgb"))
    exp.model = preset("baseline", str(root))
    at = open_page(lang, exp)
    shown = at.selectbox(key=f"arch_preset_{lang}")
    label = translate("architecture.recommended", lang, name="cifar_cnn", dataset="drones")
    assert label in [shown.format_func(o) for o in shown.options] or label in shown.options
    assert str(tmp_path) not in " ".join(c.value for c in at.caption)
    params = metric(at, "architecture.metric_params", lang)
    assert sep in params and params.replace(sep, "").isdigit()


def test_the_layer_tables_pytorch_and_problem_columns_are_wide():
    """They were cut to a few letters ("Conv2d(1, 3..."): the PyTorch column fits its longest
    layer, the problem column (last) is "large"."""
    import json

    at = open_page("en", broken_experiment())
    table = next(d for d in at.dataframe if translate("architecture.col.problem", "en") in d.value.columns)
    config = json.loads(table.proto.columns)
    assert config[translate("architecture.col.problem", "en")]["width"] == "large"
    torch_col = translate("architecture.col.torch", "en")  # as wide as its longest layer, whole (8 px a letter)
    assert config[torch_col]["width"] >= 8 * max(len(v) for v in table.value[torch_col])


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_an_empty_journal_preselects_the_baseline_and_a_baseline_run_the_recommended_preset(runs_dir, lang):
    from lab.runs.store import RunStore
    from test_journal_engine import plant

    at = open_page(lang, ExperimentConfig())
    shown = at.selectbox(key=f"arch_preset_{lang}")
    assert shown.value == "baseline"
    assert translate("architecture.baseline_first", lang, name="baseline") in shown.options  # the labels shown
    assert translate("architecture.baseline_first_note", lang) in [i.value for i in at.info]
    plant(RunStore(runs_dir), ExperimentConfig(), name="baseline")  # the course baseline, trained
    at = open_page(lang, ExperimentConfig())
    assert at.selectbox(key=f"arch_preset_{lang}").value == "mnist_cnn"  # then the recommended preset
    assert translate("architecture.baseline_first_note", lang) not in [i.value for i in at.info]
