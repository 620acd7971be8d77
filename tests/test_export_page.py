"""The Journal page's export buttons: the notebook in the page's language, the ONNX model
checked and measured on request, and a server without the libraries saying which are missing."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lab.i18n import translate
from run_helpers import copy_run
from test_page_journal import open_journal as journal_page


def open_journal(lang: str) -> AppTest:
    return journal_page(lang, timeout=120)  # an ONNX export and its check run inside the page's rerun


def downloads(at: AppTest) -> dict:
    """{label: the download button's proto} of the page."""
    return {el.proto.label: el.proto for el in at.get("download_button")}


@pytest.fixture()
def trained(runs_dir, mnist_cnn_run):
    runs_dir.mkdir(parents=True, exist_ok=True)
    return copy_run(mnist_cnn_run, runs_dir)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_notebook_and_onnx_buttons_in_the_pages_language(trained, lang):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("nbformat")
    at = open_journal(lang)
    assert not at.exception
    assert translate("journal.download_notebook", lang) in downloads(at)
    prepare = at.button(key=f"journal_onnx_{trained.id}_go")
    assert prepare.label == translate("journal.onnx_prepare", lang)
    at.checkbox(key=f"journal_onnx_{trained.id}_int8").check()
    prepare.click()
    at.run()
    assert not at.exception and not at.error
    found = downloads(at)
    assert {translate("journal.download_onnx", lang), translate("journal.download_onnx_int8", lang)} <= set(found)
    captions = " ".join(c.value for c in at.caption)
    checked = translate("journal.onnx_checked", lang, n=256, diff="X").split("X")[0]
    assert checked in captions and ("int8:" in captions)
    assert translate("journal.onnx_meaning", lang) in [i.value for i in at.info]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_server_without_the_libraries_names_what_is_missing(trained, lang, monkeypatch):
    import lab.export.onnx as onnx_export

    real = onnx_export.missing
    monkeypatch.setattr(onnx_export, "missing", lambda packages=onnx_export.ONNX_PACKAGES:
                        [p for p in packages if p in ("onnxruntime", "nbformat")] or real(packages))
    at = open_journal(lang)
    assert not at.exception
    captions = [c.value for c in at.caption]
    for what, package in (("journal.download_notebook", "nbformat"), ("journal.download_onnx", "onnxruntime")):
        assert translate("journal.export_missing", lang, what=translate(what, lang), packages=package) in captions
    assert translate("journal.download_notebook", lang) not in downloads(at)
    assert not [b for b in at.button if b.key == f"journal_onnx_{trained.id}_go"]
    assert translate("journal.download_script", lang) in downloads(at)  # everything else still works



@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_script_button_says_whether_the_script_reaches_the_runs_numbers(trained, lang):
    at = open_journal(lang)
    assert not at.exception
    assert not trained.config().augment.transforms  # no augmentation: the script repeats the run exactly
    script = downloads(at)[translate("journal.download_script", lang)]
    assert translate("journal.script_same", lang) in script.help
