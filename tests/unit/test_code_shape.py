"""The shape ARCHITECTURE.md promises, checked: no source file over 600 lines, no
class built on more than 3 of the project's own classes, and the package root holds
only ``__init__`` and ``__main__``."""

from __future__ import annotations

import ast
from pathlib import Path

import aria2_top

SOURCE = Path(aria2_top.__file__).parent
TESTS = Path(__file__).parents[1]
MAX_LINES = 600
MAX_OWN_BASES = 3


def _python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__snapshots__" not in p.parts)


def test_no_file_over_600_lines() -> None:
    long = {
        str(path.relative_to(root.parent)): lines
        for root in (SOURCE, TESTS)
        for path in _python_files(root)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def _classes() -> dict[str, list[str]]:
    """Every class of the source, by name, with the names of its bases."""
    found: dict[str, list[str]] = {}
    for path in _python_files(SOURCE):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = [ast.unparse(base).split("[")[0].split(".")[-1] for base in node.bases]
                found.setdefault(node.name, bases)
    return found


def test_no_class_builds_on_more_than_3_of_ours() -> None:
    classes = _classes()

    def ours(name: str, seen: frozenset[str] = frozenset()) -> set[str]:
        """The project's own classes ``name`` builds on, all the way up."""
        mine: set[str] = set()
        for base in classes.get(name, []):
            if base in classes and base not in seen:
                mine |= {base} | ours(base, seen | {name})
        return mine

    tall = {name: sorted(ours(name)) for name in classes if len(ours(name)) > MAX_OWN_BASES}
    assert tall == {}


def test_the_package_root_holds_only_the_entry_points() -> None:
    loose = sorted(p.name for p in SOURCE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"]


def test_every_package_says_its_job() -> None:
    quiet = [
        str(init.relative_to(SOURCE))
        for init in SOURCE.rglob("__init__.py")
        if not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    ]
    assert quiet == []
