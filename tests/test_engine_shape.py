"""The engine's shape as a spec: packages by concept, imports one way, small functions.

Read from the source with ``ast`` (nothing is imported), so a change that adds a cycle, a
module at ``lab/``'s root, an engine import of the UI or a long function fails here with
the place named.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAB = ROOT / "lab"
MAX_ROOT_MODULES = 6
MAX_LINES = 80  # a function reads in one screen
MAX_PARAMS = 8  # self/cls not counted
UI_PACKAGES = ("lab.ui", "lab.cli")  # the only places that may import Streamlit or lab.ui
TEMPLATES = "lab.templates."  # runnable files the lab fills and hands out: not engine code


def _modules() -> dict[str, Path]:
    out = {}
    for path in LAB.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


MODULES = _modules()
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _imported(module: str, node: ast.AST) -> list[str]:
    """The modules ``node`` imports, relative imports resolved."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        parts = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join(parts + ([base] if base else []))
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def _lab_target(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, tree in TREES.items():
        for node in ast.walk(tree):  # imports inside functions count: they are edges too
            for name in _imported(module, node):
                target = _lab_target(name) if name.startswith("lab") else None
                if target and target != module:
                    edges[module].add(target)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return groups


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_few_modules_at_the_root_everything_else_in_a_package_named_for_its_concept():
    root = sorted(m for m, p in MODULES.items() if m.count(".") == 1 and p.name not in ("__init__.py", "__main__.py"))
    assert len(root) <= MAX_ROOT_MODULES, root


def test_no_import_cycles_counting_imports_inside_functions():
    assert _cycles(_graph()) == []


def test_the_engine_imports_neither_streamlit_nor_the_ui():
    wrong = []
    for module, tree in TREES.items():
        if module.startswith(UI_PACKAGES):
            continue
        for node in ast.walk(tree):
            for name in _imported(module, node):
                if name.split(".")[0] == "streamlit" or name.startswith("lab.ui"):
                    wrong.append(f"{module} -> {name}")
    assert wrong == []


def _functions():
    for module, tree in TREES.items():
        if module.startswith(TEMPLATES):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield module, node


def test_every_function_reads_in_one_screen():
    long = [f"{m}.{f.name}: {f.end_lineno - f.lineno + 1} lines" for m, f in _functions()
            if f.end_lineno - f.lineno + 1 > MAX_LINES]
    assert long == []


def test_no_function_takes_more_than_a_handful_of_parameters():
    def count(f):
        a = f.args
        n = len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs)
        return n - (1 if a.args and a.args[0].arg in ("self", "cls") else 0)

    wide = [f"{m}.{f.name}: {count(f)}" for m, f in _functions() if count(f) > MAX_PARAMS]
    assert wide == []


def test_an_import_inside_a_function_says_why():
    """Only to keep start-up light (torch, torchvision, a page's heavy libraries), with a
    comment on the line or the line above; never to dodge a cycle."""
    silent = []
    for module, tree in TREES.items():
        lines = MODULES[module].read_text(encoding="utf-8").splitlines()
        for f in ast.walk(tree):
            if not isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(f):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    here, above = lines[node.lineno - 1], lines[node.lineno - 2].strip()
                    if "#" not in here and not above.startswith("#"):
                        silent.append(f"{MODULES[module].relative_to(ROOT)}:{node.lineno}: {here.strip()}")
    assert sorted(set(silent)) == []


@pytest.mark.parametrize("requirements", ["requirements.txt"])
def test_every_package_the_code_imports_is_declared(requirements):
    """A fresh ``pip install -r requirements.txt`` runs the app and the engine."""
    import sys

    declared = set()
    for line in (ROOT / requirements).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            declared.add(line.split(";")[0].split("[")[0].split("=")[0].split(">")[0].split("<")[0].split("!")[0]
                         .split("~")[0].strip().lower().replace("_", "-"))
    distribution = {"PIL": "pillow", "yaml": "pyyaml", "sklearn": "scikit-learn",
                    "streamlit_drawable_canvas": "streamlit-drawable-canvas"}
    used = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *LAB.rglob("*.py")]:
        if "templates" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top and top not in sys.stdlib_module_names and top not in ("lab", "pages", "bench"):
                    used.add(distribution.get(top, top).lower().replace("_", "-"))
    assert sorted(used - declared) == []
