"""The package layout as a specification: stages import only the core and the stages below them,
every user-facing error goes through the rule registry, and no function is too complex to review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from radon.complexity import cc_visit

SRC = Path(__file__).parents[1] / "src" / "whosaidwhat"

#: lower layers first; a module may import its own layer and the layers below it, never above
LAYERS: list[set[str]] = [
    {"core"},
    {"validation", "splits", "ingest", "importers", "editing", "stats"},
    {"scoring"},
    {"labelstudio", "sheets", "agreement", "adjudication", "campaign", "systems"},
    {"engine", "release"},
    {"leaderboard", "data"},
    {"commands", "cli"},
]
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}
MAX_COMPLEXITY = 15


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "_schema" not in p.parts)


def _stage(path: Path) -> str:
    rel = path.relative_to(SRC).parts
    return rel[0] if len(rel) > 1 else path.stem


def _imported_stages(path: Path) -> set[str]:
    """Top-level stages of whosaidwhat that `path` imports (absolute or relative, at any depth in the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = list(path.relative_to(SRC).parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1] if node.level > 1 else package
                parts = base + (node.module.split(".") if node.module else [])
                if not parts:  # `from .. import __version__` / `from . import x` at the top
                    parts = [alias.name for alias in node.names]
            elif node.module and node.module.startswith("whosaidwhat."):
                parts = node.module.split(".")[1:]
            else:
                continue
            found.add(parts[0])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("whosaidwhat.")}
    return found - {"__version__"}


def test_every_stage_is_placed_in_a_layer():
    stages = {_stage(p) for p in _modules()} - {"__init__", "__main__"}
    assert sorted(stages - set(LAYER_OF)) == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_a_module_imports_no_stage_above_its_own(path):
    stage = _stage(path)
    if stage in ("__init__", "__main__"):
        return
    upward = sorted(s for s in _imported_stages(path) if LAYER_OF.get(s, -1) > LAYER_OF[stage])
    assert upward == [], f"{stage} (layer {LAYER_OF[stage]}) imports {upward}"


def test_the_core_imports_no_stage():
    for path in (SRC / "core").rglob("*.py"):
        assert _imported_stages(path) <= {"core"}, path


def test_user_facing_errors_are_raised_only_through_the_rule_registry():
    """`UserError(...)`/`UsageError(...)` with an inline message exist only in the core that defines them."""
    allowed = {SRC / "core" / "errors.py", SRC / "core" / "problems.py"}
    offenders = []
    for path in _modules():
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("UserError", "UsageError"):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_no_library_function_trims_the_allocator():
    """Memory tricks (malloc_trim) belong to the command layer, never to a library function."""
    for path in _modules():
        if _stage(path) not in ("commands", "cli"):
            assert "malloc_trim" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_function_is_above_the_complexity_limit(path):
    blocks = cc_visit(path.read_text(encoding="utf-8"))
    over = []
    for block in blocks:
        over += [(b.name, b.complexity) for b in [block, *getattr(block, "methods", [])] if b.complexity > MAX_COMPLEXITY]
    assert over == [], f"cyclomatic complexity above {MAX_COMPLEXITY}: {over}"
