"""The code version of a stage: a hash of every module of `pipeline` it runs.

A stage's output depends on its own package and on every helper it imports (stage 2 renders
`page.hocr` with `pipeline/export/hocr.py`), so the hash follows import statements, read with
`ast` (nothing is imported), transitively, within the `pipeline` package. Imports inside
functions count too: they run when the stage runs; those under `if TYPE_CHECKING:` do not.
A module imported by name at run time (`importlib`) is not seen: the stage table names its
package in `Stage.modules` instead.
"""

from __future__ import annotations

import ast
import hashlib
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the folder holding the `pipeline` package
PACKAGE = "pipeline"

_lock = threading.Lock()
_cache: dict[tuple[Path, tuple[str, ...]], str] = {}


def module_file(root: Path, name: str) -> Path | None:
    """`pipeline.ocr` -> pipeline/ocr/__init__.py, `pipeline.fileio` -> pipeline/fileio.py."""
    base = root.joinpath(*name.split("."))
    for f in (base / "__init__.py", base.with_suffix(".py")):
        if f.is_file():
            return f
    return None


def _imported(root: Path, name: str, tree: ast.AST, is_package: bool) -> set[str]:
    """Module names of `pipeline` that this module's import statements name."""
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from .x import y
                parts = name.split(".") if is_package else name.split(".")[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)  # `from pkg import module`
    return {m for m in found if m.split(".")[0] == PACKAGE and module_file(root, m)}


def _runtime_nodes(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:`, which never run."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))


def _with_parents(name: str) -> list[str]:
    """Importing pipeline.ocr.render runs pipeline/__init__ and pipeline/ocr/__init__ first."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def code_files(modules: tuple[str, ...], root: Path = ROOT) -> list[Path]:
    """Every file of `pipeline` that importing `modules` (and all modules of those that are
    packages) runs, sorted."""
    todo: list[str] = []
    for m in modules:
        f = module_file(root, m)
        if f is not None and f.name == "__init__.py":  # a stage package: all of its modules
            todo += [_module_name(root, p) for p in sorted(f.parent.rglob("*.py"))]
        todo.append(m)
    seen: dict[str, Path] = {}
    while todo:
        name = todo.pop()
        for n in _with_parents(name):
            if n in seen:
                continue
            f = module_file(root, n)
            if f is None:
                continue
            seen[n] = f
            tree = ast.parse(f.read_bytes(), filename=str(f))
            todo.extend(_imported(root, n, tree, f.name == "__init__.py"))
    return sorted(set(seen.values()))


def _module_name(root: Path, f: Path) -> str:
    rel = f.relative_to(root).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def code_hash(modules: tuple[str, ...], root: Path = ROOT) -> str:
    """Hash of the files `code_files` finds; computed once per process (stages run many pages
    on pool and Dask worker threads, hence the lock)."""
    key = (root, modules)
    with _lock:
        if key not in _cache:
            h = hashlib.sha256()
            for f in code_files(modules, root):
                h.update(f.relative_to(root).as_posix().encode())
                h.update(f.read_bytes())
            _cache[key] = h.hexdigest()[:16]
        return _cache[key]


def clear_cache() -> None:
    """For tests that change source files."""
    with _lock:
        _cache.clear()
