"""No URL the lab prints shows the queue's password (issue 24, item 1).

Queue messages are pickles: whoever holds the Redis password can run code on every
worker. The attack performed: LAB_QUEUE / --queue name a Redis with a password on a
port where nothing listens, and every surface is read for the password: the engine's
error (what the Training page shows, in both languages), the Training page itself,
``lab submit``'s output and ``lab worker``'s output.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.i18n import translate
from lab.jobs.queue import redact, redact_url
from lab.jobs.submit import JobTarget, submit_training
from lab.runs.store import RunStore

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Zq9-very-secret-pw"


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def secret_url() -> str:
    return f"redis://:{SECRET}@127.0.0.1:{closed_port()}/0"


@pytest.mark.parametrize("url, shown", [
    ("redis://:pw-123@10.0.0.5:6379/0", "redis://:***@10.0.0.5:6379/0"),
    ("redis://lab:pw-123@10.0.0.5/0", "redis://lab:***@10.0.0.5/0"),
    ("redis://pw-123@10.0.0.5/0", "redis://***@10.0.0.5/0"),  # redis-py reads a lone name as the password
    ("rediss://lab:pw-123@h:6380/1?ssl_cert_reqs=none", "rediss://lab:***@h:6380/1?ssl_cert_reqs=none"),
    ("redis://h:6379/0?password=pw-123&db=1", "redis://h:6379/0?password=***&db=1"),
    ("unix:///run/redis.sock?password=pw-123", "unix:///run/redis.sock?password=***"),
    ("redis://10.0.0.5:6379/0", "redis://10.0.0.5:6379/0"),  # nothing secret: unchanged
    ("sqlite:/srv/runs/.queue/huey.db", "sqlite:/srv/runs/.queue/huey.db"),
])
def test_every_form_of_a_queue_url_prints_without_its_password(url, shown):
    assert redact_url(url) == shown
    if "pw-123" in url:  # an error text quoting the URL or the password alone is masked too
        assert "pw-123" not in redact(f"cannot reach {url} (password pw-123)", url)


def test_the_error_a_student_sees_when_the_queue_is_down_names_the_queue_but_not_its_password(runs_dir, secret_url):
    with pytest.raises(LabError) as caught:
        submit_training(ExperimentConfig(), RunStore(runs_dir), target=JobTarget(runs_dir, None, secret_url))
    exc = caught.value
    assert exc.key == "queue.unreachable"
    for lang in ("en", "ru"):  # the page's text, in both languages, from the error's key and parameters
        text = translate(exc.key, lang, **exc.params)
        assert SECRET not in text and "127.0.0.1" in text and ":***@" in text
    assert SECRET not in str(exc)
    assert RunStore(runs_dir).list() == []  # and no ghost run is left behind


def test_the_training_page_shows_the_queue_error_without_the_password(runs_dir, secret_url, monkeypatch, tmp_path):
    monkeypatch.setenv("LAB_QUEUE", secret_url)
    monkeypatch.setenv("LAB_WORKERS", "0")  # no local workers: the page only queues
    monkeypatch.setenv("LAB_OFFLINE", "1")
    empty = tmp_path / "no-data"
    empty.mkdir()
    monkeypatch.setenv("LAB_DATA_DIR", str(empty))  # the bundled samples
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = "en"
    at.switch_page("pages/training.py")
    at.run()
    train = next(b for b in at.button if b.label == translate("training.train", "en"))
    train.click().run()
    errors = " ".join(e.value for e in at.error)
    assert "cannot reach the job queue" in errors and ":***@127.0.0.1" in errors
    shown = " ".join(str(el.value) for kind in ("error", "warning", "info", "caption", "markdown", "exception")
                     for el in at.get(kind) if hasattr(el, "value"))
    assert SECRET not in shown


def test_lab_submit_says_the_queue_is_down_in_one_line_without_the_password(runs_dir, secret_url, shared_datasets):
    out = subprocess.run([sys.executable, "-m", "lab", "submit", "--dataset", "mnist", "--preset", "baseline",
                          "--epochs", "1", "--runs-dir", str(runs_dir), "--queue", secret_url],
                         cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "LAB_DATA_DIR": str(shared_datasets)})
    assert out.returncode != 0
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("error")]
    assert len(lines) == 1 and "cannot reach the job queue redis://:***@127.0.0.1" in lines[0]
    assert "Traceback" not in out.stderr
    assert SECRET not in out.stdout + out.stderr


def test_lab_worker_names_its_queue_without_the_password(runs_dir, secret_url, tmp_path):
    log = tmp_path / "worker.log"
    with open(log, "wb") as f:
        proc = subprocess.Popen([sys.executable, "-m", "lab", "worker", "--queue", secret_url, "--workers", "1",
                                 "--threads", "1", "--runs-dir", str(runs_dir)], cwd=ROOT, stdout=f, stderr=f,
                                env={**os.environ, "LAB_QUEUE": secret_url, "PYTHONUNBUFFERED": "1"})
        try:
            deadline = time.time() + 60
            while time.time() < deadline and "does not answer" not in log.read_text():
                time.sleep(0.2)
        finally:
            proc.terminate()
            proc.wait(20)
    text = log.read_text()
    assert "at redis://:***@127.0.0.1" in text and "does not answer" in text
    assert SECRET not in text
