"""Find the pages to process: files and folders in, one job per page out, with stable names."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline import manifest
from pipeline.errors import PageError
from pipeline.fileio import write_text
from pipeline.options import STAGE_DIRS
from pipeline.preprocess.load import page_count

IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf"}
TEXT_EXTS = {".txt"}
OUTPUT_MARKER = ".ocr-pipeline-output"
RESERVED = {"report"}  # folders of OUTPUT the tool writes itself

Owner = tuple[str, int] | None  # (resolved source, 0-based page) of a page folder


@dataclass(frozen=True)
class PageJob:
    name: str  # the page's folder under OUTPUT
    source: Path
    page_index: int = 0  # 0-based page of a multi-page file
    kind: str = "image"  # "image" enters at preprocess, "text" at repair


def is_output_folder(folder: Path) -> bool:
    """A folder this tool wrote: an OUTPUT (its marker, or run.json beside batch-lexicon.tsv)
    or one page folder of it (manifest.json beside a stage folder). Its images and texts are
    the tool's own work, never inputs."""
    return is_output_root(folder) or (
        _has(folder, "manifest.json") and any(_has(folder, d) for d in STAGE_DIRS.values())
    )


def is_output_root(folder: Path) -> bool:
    return _has(folder, OUTPUT_MARKER) or all(
        _has(folder, f) for f in ("run.json", "batch-lexicon.tsv")
    )


def _has(folder: Path, name: str) -> bool:
    """Whether folder/name exists; False for a folder that cannot be read (the walk says so)."""
    try:
        return (folder / name).exists()
    except OSError:
        return False


def mark_output(output: Path) -> None:
    """Leave the marker that keeps a later run over a parent folder out of this OUTPUT."""
    marker = Path(output) / OUTPUT_MARKER
    try:
        if not marker.exists():
            write_text(marker, "ocr-pipeline output: its folders are never read as inputs\n")
    except OSError:
        pass  # a full disk fails the pages themselves; page folders are recognised anyway


def _walk(folder: Path) -> tuple[list[Path], list[str], list[Path]]:
    """Usable files under a folder, a one-line problem for each folder that could not be
    listed or was left out, and the output folders of this tool left out (the folder itself
    may be an OUTPUT: `-o .`).

    `Path.rglob` skips a subfolder it cannot read without a word; a batch must say so.
    Linked folders are followed (an archive is often assembled from links), each real folder
    once, so a link back up the tree is no endless loop.
    """
    problems: list[str] = []
    skipped: list[Path] = []

    def note(e: OSError) -> None:
        why = e.strerror or str(e)
        problems.append(f"{e.filename}: folder cannot be read ({why}); check its permissions")

    seen: set[tuple[int, int]] = set()
    found = []
    for root, dirs, names in os.walk(folder, onerror=note, followlinks=True):
        here = Path(root)
        st = os.stat(here)
        if (st.st_dev, st.st_ino) in seen:  # a link to a folder already searched
            problems.append(
                f"{here}: a link to a folder already searched ({here.resolve()}); left out"
            )
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        outputs = {d for d in dirs if is_output_folder(here / d)}
        skipped += [here / d for d in sorted(outputs)]
        dirs[:] = sorted(d for d in dirs if d not in outputs)
        found += [f for f in (here / n for n in names) if f.is_file() and _usable(f)]
    return sorted(found), problems, skipped


def find_files(inputs: Iterable[Path]) -> tuple[list[Path], list[str], list[Path]]:
    """Input files in a stable order, a one-line problem for each input that can't be used, and
    the output folders of this tool that were left out."""
    files: list[Path] = []
    problems: list[str] = []
    skipped: list[Path] = []
    for inp in inputs:
        p = Path(inp)
        if p.is_dir() and is_output_folder(p) and not is_output_root(p):
            skipped.append(p)  # a page folder given as input: its files are our own
        elif p.is_dir():
            found, unreadable, left_out = _walk(p)
            files.extend(found)
            skipped.extend(left_out)
            problems.extend(unreadable)
        elif p.is_file():
            if _usable(p):
                files.append(p)
            else:
                problems.append(f"{p}: not an image ({', '.join(sorted(IMAGE_EXTS))}) or .txt file")
        else:
            problems.append(f"{p}: no such file or folder")
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems, skipped


def _usable(f: Path) -> bool:
    return f.suffix.lower() in IMAGE_EXTS | TEXT_EXTS and not f.name.startswith(".")


def page_names(files: list[Path], claims: dict[str, Owner] | None = None) -> dict[Path, str]:
    """One page folder name a single-page file, unique and the same for the same input each run.

    A name is the file's stem. Files whose stems collide in the batch get parent folders put
    in front until their names differ (`issue1_page-001`, `c1_x_issue_p`); a scan and a text of
    one stem in one folder get their extension (`page1-png`, `page1-txt`). `claims` (see
    `claimed_folders`) are the folders of OUTPUT: a folder recorded for this input is reused,
    one recorded for another input is never taken.
    """
    return _assign(files, dict.fromkeys(files, 1), claims or {})


@lru_cache(maxsize=1 << 16)
def _parents(f: Path) -> tuple[str, ...]:
    return tuple(p for p in f.resolve().parent.parts if p not in ("/", ""))


def _with_parents(f: Path, k: int) -> str:
    """The stem with its k nearest parent folders in front."""
    parents = _parents(f)
    return "_".join([*parents[len(parents) - k :], f.stem]) if k else f.stem


class _StemGroup:
    """Files of one stem (the batch's, and the inputs OUTPUT records), their names at each
    number of parents counted once, so a batch of 500 `page-001.png` costs no n² comparisons."""

    def __init__(self, members: list[Path]) -> None:
        self.members = members
        self.folders = Counter(_parents(g) for g in members)
        self._names: dict[int, Counter[str]] = {}

    def _names_at(self, k: int) -> Counter[str]:
        if k not in self._names:
            self._names[k] = Counter(_with_parents(g, k) for g in self.members)
        return self._names[k]

    def level(self, f: Path) -> tuple[int, bool]:
        """Parents enough to tell f from same-stem files of other folders, and whether a file
        of the same stem sits in f's folder (then the extension tells them apart)."""
        here = self.folders[_parents(f)]  # f and its same-stem neighbours share every name
        k = 0
        while k < len(_parents(f)) and self._names_at(k)[_with_parents(f, k)] > here:
            k += 1
        return k, here > 1


def _candidates(f: Path, group: _StemGroup) -> Iterator[str]:
    """The batch's name first, then ones with more parents, then numbered: the first free one
    is taken."""
    level, by_ext = group.level(f)
    ext = "-" + f.suffix.lower().lstrip(".")
    first = _with_parents(f, level) + (ext if by_ext else "")
    yield first
    for k in range(level + 1, len(_parents(f)) + 1):
        yield _with_parents(f, k) + (ext if by_ext else "")
    if not by_ext:
        yield _with_parents(f, level) + ext
    n = 2
    while True:
        yield f"{first}~{n}"
        n += 1


def _folders(base: str, pages: int) -> list[str]:
    return [base] if pages == 1 else [f"{base}-p{i + 1:04d}" for i in range(pages)]


def _recorded_base(f: Path, pages: int, recorded: dict[str, list[tuple[str, int]]]) -> str | None:
    """The name an earlier run gave this input, when OUTPUT holds its folders."""
    for name, index in sorted(recorded.get(str(f.resolve()), [])):
        suffix = f"-p{index + 1:04d}"
        if pages == 1 and index == 0:
            return name
        if pages > 1 and name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def _assign(files: list[Path], pages: dict[Path, int], claims: dict[str, Owner]) -> dict[Path, str]:
    """Base names: recorded ones first, then the first free candidate, in file order."""
    taken = dict(claims)
    names: dict[Path, str] = {}

    def free(f: Path, base: str) -> bool:
        source = str(f.resolve())
        return base.lower() not in RESERVED and all(
            taken.get(d, (source, i)) == (source, i) for i, d in enumerate(_folders(base, pages[f]))
        )

    def take(f: Path, base: str) -> None:
        names[f] = base
        for i, d in enumerate(_folders(base, pages[f])):
            taken[d] = (str(f.resolve()), i)

    recorded: dict[str, list[tuple[str, int]]] = {}
    for name, owner in claims.items():
        if owner:
            recorded.setdefault(owner[0], []).append((name, owner[1]))
    for f in files:
        base = _recorded_base(f, pages[f], recorded)
        if base is not None and free(f, base):
            take(f, base)
    by_stem: dict[str, list[Path]] = {}  # the batch's files and OUTPUT's other inputs
    others = set(map(Path, recorded)) - {f.resolve() for f in files}
    for f in [*files, *sorted(others)]:
        by_stem.setdefault(f.stem, []).append(f)
    groups = {stem: _StemGroup(members) for stem, members in by_stem.items()}
    for f in files:
        if f not in names:
            take(f, next(c for c in _candidates(f, groups[f.stem]) if free(f, c)))
    return {f: names[f] for f in files}


def claimed_folders(output: Path | None) -> dict[str, Owner]:
    """Every folder of OUTPUT and whose it is: (source, page index) from its manifest, or None
    for a folder holding something else (it is never taken). Empty folders are free."""
    claims: dict[str, Owner] = {}
    if output is None or not Path(output).is_dir():
        return claims
    for d in Path(output).iterdir():
        if not d.is_dir():
            continue
        man = manifest.load(d)
        if man.get("source"):
            claims[d.name] = (str(man["source"]), int(man.get("page", 1)) - 1)
        elif any(not c.name.startswith(".") for c in d.iterdir()):
            claims[d.name] = None
    return claims


def _pages(f: Path) -> int:
    if f.suffix.lower() not in {".tif", ".tiff", ".pdf"}:
        return 1
    try:
        return max(1, page_count(f))  # 0 pages: the preprocess stage says so for page 1
    except PageError:
        return 1  # the preprocess stage reports the problem for this page


def expand_jobs(files: list[Path], output: Path | None = None) -> list[PageJob]:
    """One job a page, named so that no page folder of OUTPUT changes hands (`page_names`)."""
    pages = {f: 1 if f.suffix.lower() in TEXT_EXTS else _pages(f) for f in files}
    jobs = []
    for f, base in _assign(files, pages, claimed_folders(output)).items():
        kind = "text" if f.suffix.lower() in TEXT_EXTS else "image"
        folders = _folders(base, pages[f])
        jobs.extend(PageJob(name, f, i, kind) for i, name in enumerate(folders))
    return jobs
