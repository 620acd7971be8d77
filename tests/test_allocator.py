"""A training process keeps its freed tensor memory: the step's buffers do not page-fault in
again every step (lab.train.allocator)."""

import platform
import subprocess
import sys

import pytest

from lab.paths import PROJECT_ROOT

STEPS = """
import resource, sys, torch, torch.nn.functional as F
torch.set_num_threads(1)
if sys.argv[1] == "keep":
    from lab.train.allocator import keep_freed_memory
    assert keep_freed_memory()
from lab.model import build_model, preset
model = build_model(preset("baseline", "mnist"), (1, 28, 28), 10)
opt = torch.optim.Adam(model.parameters())
x, y = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))
def step():
    opt.zero_grad(); F.cross_entropy(model(x), y).backward(); opt.step()
for _ in range(5): step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50): step()
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 50)
"""


def faults_per_step(mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", STEPS, mode], cwd=PROJECT_ROOT, capture_output=True, text=True,
                         check=True, timeout=120)
    return float(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the setting is glibc's")
def test_a_training_step_reuses_its_buffers_instead_of_faulting_them_in():
    # the baseline's conv output alone is 64 x 32 x 26 x 26 floats = 1,352 pages of 4 KiB a step
    assert faults_per_step("keep") < 50


def test_it_is_a_no_op_where_the_c_library_is_not_glibc(monkeypatch):
    from lab.train import allocator

    allocator.keep_freed_memory.cache_clear()
    monkeypatch.setattr(platform, "libc_ver", lambda: ("musl", "1.2"))
    try:
        assert allocator.keep_freed_memory() is False
    finally:
        allocator.keep_freed_memory.cache_clear()
