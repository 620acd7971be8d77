"""Hostile uploads on the pages: a refused checkpoint or archive is a message saying what the
file is not, in English and Russian, and an uploaded checkpoint never opens a server folder."""

from __future__ import annotations

import io

import pytest
import torch
from streamlit.testing.v1 import AppTest

from lab.model.checkpoint import save_checkpoint
from lab.config import ExperimentConfig
from lab.model import build_model, preset
from lab.i18n import translate


def checkpoint_bytes(tmp_path, dataset: str) -> bytes:
    cfg = ExperimentConfig()
    cfg.data.dataset = dataset
    cfg.model = preset("baseline", "mnist")
    path = tmp_path / "model.pt"
    save_checkpoint(path, build_model(cfg.model, (1, 28, 28), 10), cfg, [str(i) for i in range(10)],
                    [0.13], [0.31], (1, 28, 28))
    return path.read_bytes()


def open_page(page: str, lang: str, account=None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=180)
    at.session_state["lab.language"] = lang
    if account is not None:  # a classroom: signed in as this student
        at.session_state["lab.classroom.account"] = account
    at.run()
    at.switch_page(page)
    return at.run()


def upload_checkpoint(lang: str, name: str, data: bytes, account=None) -> AppTest:
    at = open_page("pages/predict.py", lang, account)
    at.radio(key="predict_model_source").set_value("upload").run()
    at.file_uploader(key="predict_model_file").upload(name, data).run()
    return at


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_text_file_uploaded_as_a_checkpoint_says_what_it_is_not(runs_dir, lang):
    at = upload_checkpoint(lang, "notes.pt", b"my notes about the course\n" * 20)
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    said = {"en": "this file is a text file", "ru": "этот файл — текстовый файл"}[lang]  # in the page's language
    assert said in errors and "best.pt" in errors
    assert "weights_only" not in errors and "torch.load" not in errors


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_an_uploaded_checkpoint_naming_a_server_folder_shows_no_server_images(room, tmp_path, lang):
    from classroom_helpers import CODE

    secret = tmp_path / "server-folder"
    for c in ("a", "b"):
        (secret / c).mkdir(parents=True)
    anna = room.sign_up(CODE, "Anna", "correct horse")
    at = upload_checkpoint(lang, "model.pt", checkpoint_bytes(tmp_path, str(secret)), anna)
    assert not at.exception and not at.error
    at.radio(key="predict_image_source").set_value("dataset").run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert translate("safety.folder_checkpoint", lang) in errors
    assert str(secret) not in errors and not at.image  # no picture from the server's disk


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_damaged_zip_on_the_dataset_page_is_one_message(tmp_path, monkeypatch, lang):
    import zipfile

    monkeypatch.setenv("LAB_UPLOADS_DIR", str(tmp_path / "uploads"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for c in ("a", "b"):
            zf.writestr(f"{c}/1.png", torch.randint(0, 255, (4000,), dtype=torch.uint8).numpy().tobytes())
    at = open_page("pages/dataset.py", lang)
    picker = next(s for s in at.main.selectbox if s.label == translate("dataset.source", lang))
    picker.select(translate("dataset.source_upload", lang)).run()
    at.file_uploader[0].upload("pets.zip", buf.getvalue()[:3000], "application/zip").run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    said = {"en": "not a readable zip archive", "ru": "не читаемый zip-архив"}[lang]  # in the page's language
    assert said in errors and "BadZipFile" not in errors
    assert not any((tmp_path / "uploads").glob("*/*"))  # nothing unpacked, nothing left
