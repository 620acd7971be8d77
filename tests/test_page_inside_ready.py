"""The Inside-the-model page for a ready torchvision network (resnet18 after fine-tuning, as
students reach it), in both languages: every view of a LabNet, the feature maps at the end of
the stem and of layer1..layer4 with the Architecture table's shapes and receptive fields, the
first conv's filters now and at initialisation, Grad-CAM on layer4, occlusion; and the hidden
half of the test split stays hidden on a classroom server."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from classroom_helpers import CODE
from lab.classroom.leaderboard import hidden_test_indices
from lab.classroom.tokens import server_secret
from lab.i18n import translate
from lab.model import trace
from lab.ui.inside.sources import INDEX_KEY
from ready_run_helpers import ready_run
from test_page_inside import captions, texts

STAGES = [("relu", "stem", "activation"), ("layer1.1", "layer1", "block"), ("layer2.1", "layer2", "block"),
          ("layer3.1", "layer3", "block"), ("layer4.1", "layer4", "block")]


def open_page(lang: str, account=None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=180)
    at.session_state["lab.language"] = lang
    if account is not None:
        at.session_state["lab.classroom.account"] = account
    at.run()
    at.switch_page("pages/inside.py")
    return at.run()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_resnet18_run_shows_its_stages_with_the_tables_shapes_and_receptive_fields(runs_dir, mnist, lang):
    run = ready_run(runs_dir, mnist)
    at = open_page(lang)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert run.id in at.selectbox(key="inside_run").value
    assert translate("inside.model_summary_ready", lang, dataset="MNIST", classes=10, shape="1×28×28",
                     arch="resnet18").split("**")[-1] in texts(at)
    at.radio(key="inside_image_source").set_value("dataset").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    body = texts(at)
    assert translate("inside.ready_taps", lang, arch="resnet18", names="stem, layer1, layer2, layer3, layer4") in body
    rows = {layer.name: layer for layer in trace(run.config().model, (1, 28, 28), 10).layers}
    for name, group, stage in STAGES:  # the Architecture page's own rows: the same numbers
        row = rows[name]
        assert translate("inside.layer_caption_group", lang, name=name, group=group,
                         stage=translate(f"inside.stage.{stage}", lang), shape="×".join(map(str, row.output)),
                         rf="×".join(map(str, row.receptive_field))) in body, name
    assert "11×11" in body and "109×109" in body  # layer1's and layer4's fields, counted in test_ready_inside
    # layer2..layer4 hold 128-512 channels: the grid shows the strongest 64 and says so
    assert translate("inside.strongest_of", lang, shown=64, n=512) in body
    for key in ("answer_header", "features_header", "filters_header", "why_header", "occlusion_header"):
        assert translate(f"inside.{key}", lang) in [s.value for s in at.subheader], key
    assert translate("inside.filters_help", lang, k="3×3", layer="conv1") in body  # the small stem's 3x3 conv
    assert translate("inside.filters_initial", lang, top="")[:-3] in captions(at)  # the run kept them
    assert translate("inside.gradcam_help", lang, layer="layer4.1") in body
    assert sum(translate("inside.gradcam_caption", lang, rank=r, label="", percent="")[:3] in captions(at)
               for r in (1, 2, 3)) == 3
    assert len(at.get("vega_lite_chart")) == 1
    at.selectbox(key="inside_open_layer").set_value("layer4.1").run()
    at.number_input(key="inside_open_rank").set_value(512).run()  # the weakest of layer4's channels opens
    assert not at.exception and not at.error
    assert "layer4.1, " in captions(at)


def test_a_drawn_digit_and_occlusion_work_for_resnet18(runs_dir, mnist):
    ready_run(runs_dir, mnist)
    at = open_page("en")
    assert at.radio(key="inside_image_source").value == "draw"  # a one-channel model: drawing is offered
    at.radio(key="inside_image_source").set_value("dataset").run()
    at.slider(key="inside_occlusion_patch").set_value(4).run()
    assert not at.exception and not at.error
    assert translate("inside.occlusion_help", "en", patch=4, stride=2, label="", drop="", base="",
                     n=13 * 13).split("**")[0][:20] in texts(at)


def test_a_classroom_student_still_cannot_open_a_hidden_test_image_with_a_ready_network(room, mnist, runs_dir):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    ready_run(room.workspace_dir(anna), mnist)
    hidden = hidden_test_indices(mnist.test_y, server_secret(runs_dir)).tolist()
    at = open_page("en", anna)
    at.radio(key="inside_image_source").set_value("dataset").run()
    at.number_input(key=INDEX_KEY).set_value(hidden[0]).run()
    assert not at.exception
    assert any(str(hidden[0]) in e.value for e in at.error)
    assert not any(m.value.startswith("True class") for m in at.markdown) and not at.subheader[2:]
