"""The shipped .streamlit/config.toml keeps a hosted lab safe by default."""

from __future__ import annotations

import tomllib
from pathlib import Path

from lab.config.limits import MAX_CHECKPOINT_BYTES, MAX_IMAGE_BYTES, MAX_ZIP_BYTES

CONFIG = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())


def test_no_usage_statistics_no_tracebacks_no_developer_menu():
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["client"]["toolbarMode"] in ("minimal", "viewer")


def test_uploads_are_capped_at_the_labs_own_largest_file_limit():
    # the biggest thing a page takes is a zip of images; checkpoints and pictures are refused lower
    assert CONFIG["server"]["maxUploadSize"] * 2 ** 20 == max(MAX_ZIP_BYTES, MAX_CHECKPOINT_BYTES, MAX_IMAGE_BYTES)


def test_xsrf_protection_is_on_and_the_server_listens_locally():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["address"] == "127.0.0.1"


def test_no_full_garbage_collection_after_every_rerun():
    # with torch loaded, Streamlit's post-run gc.collect(2) costs 0.2-0.4 s per fragment
    # rerun; a classroom of live views spent the server on it (bench/bench_jobs.py, step 4)
    assert CONFIG["runner"]["postScriptGC"] is False
