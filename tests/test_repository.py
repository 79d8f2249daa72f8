"""The repository is self-contained: the specification the code follows is in docs/, and nothing
points to the team's copy of it outside the repository."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The names are put together here so that this file, searched like every other, names none.
SHARED = "sha" + "red"
FORMATS = "IMPORT" + "_FORMATS"
OUTSIDE = re.compile(
    rf"\.\./{SHARED}\b"  # the team's folder beside the repository
    rf"|/work/{SHARED}\b"
    rf"|\b{SHARED}/(?:seeds|samples)\b"
    # The specification's upper-case file names; the repository's own are docs/design.md,
    # docs/import-formats.md and docs/indicators.md.
    rf"|\b(?:DESIGN|INDICATORS|{FORMATS}|STYLE)\.md\b"
    rf"|\b{FORMATS}\b"
)
# Directories that are not the project's own text when git cannot list the files.
NOT_OURS = {
    ".git",
    ".venv",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    "artifacts",
}


def project_files(root: Path) -> Iterator[Path]:
    """The files git tracks, and new ones it does not ignore; the tree without `NOT_OURS`
    when git cannot say (an unpacked archive)."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        for path in sorted(root.rglob("*")):
            if path.is_file() and not NOT_OURS & set(path.relative_to(root).parts):
                yield path
        return
    for name in sorted(set(listing.split("\0")) - {""}):
        path = root / name
        if path.is_file():  # a tracked file deleted in the work tree is gone
            yield path


def references_outside(root: Path) -> list[str]:
    """`path:line: text` for every line that points outside the repository."""
    found = []
    for path in project_files(root):
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary: compiled catalogues, workbooks, images
        text = data.decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                shown = line.strip()
                shown = shown if len(shown) <= 120 else shown[:120] + "…"
                found.append(f"{path.relative_to(root)}:{number}: {shown}")
    return found


def test_nothing_in_the_repository_points_outside_it():
    found = references_outside(ROOT)
    assert not found, (
        "The specification lives in docs/design.md, docs/import-formats.md and "
        "docs/indicators.md; point there instead of outside the repository:\n" + "\n".join(found)
    )


def test_the_check_finds_a_planted_reference(tmp_path):
    (tmp_path / "notes.py").write_text(
        f'"""Fine."""\n# the columns of {FORMATS}.md\n# see ../{SHARED}/samples\n',
        encoding="utf-8",
    )
    (tmp_path / "design.md").write_text("docs/design.md and docs/indicators.md\n")
    assert references_outside(tmp_path) == [
        f"notes.py:2: # the columns of {FORMATS}.md",
        f"notes.py:3: # see ../{SHARED}/samples",
    ]


def uncollected_test_files(root: Path) -> list[str]:
    """Test modules pytest would not collect in `make test`: outside every `testpaths` entry."""
    options = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    testpaths = [root / path for path in options["testpaths"]]
    patterns = options.get("python_files", ["test_*.py"])
    return [
        str(path.relative_to(root))
        for path in project_files(root)
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns)
        and not any(path.is_relative_to(testpath) for testpath in testpaths)
    ]


def test_make_test_runs_every_test_file_in_the_repository():
    assert uncollected_test_files(ROOT) == []


def test_a_test_file_outside_testpaths_is_reported(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\ntestpaths = ["tests"]\npython_files = ["test_*.py"]\n'
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_kept.py").write_text("")
    (tmp_path / "ops" / "tests").mkdir(parents=True)
    (tmp_path / "ops" / "tests" / "test_forgotten.py").write_text("")
    assert uncollected_test_files(tmp_path) == ["ops/tests/test_forgotten.py"]


DOC_PATH = re.compile(r"`([A-Za-z._][\w.\-]*(?:/[\w.\-]*)+)`")


def ignored_folders(root: Path) -> set[str]:
    """The folders .gitignore names (`backups/`, `.hypothesis/`): made by running the project,
    so a fresh clone has none of them although the docs rightly name them."""
    gitignore = root / ".gitignore"
    lines = gitignore.read_text().splitlines() if gitignore.exists() else []
    return {line.strip("/") for line in lines if line.endswith("/") and "*" not in line}


def paths_named_in_docs(root: Path) -> list[str]:
    """`doc:line: path` for every file path the README and docs/ name that does not exist."""
    missing = []
    ignored = ignored_folders(root)
    for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        for number, line in enumerate(doc.read_text().splitlines(), 1):
            for match in DOC_PATH.finditer(line):
                path = match.group(1).split("::")[0]
                if path.split("/")[0] in ignored:
                    continue
                if not (root / path).exists():
                    missing.append(f"{doc.relative_to(root)}:{number}: {path}")
    return missing


def test_every_file_the_readme_and_docs_name_exists():
    assert paths_named_in_docs(ROOT) == []


def test_a_moved_file_named_in_the_docs_is_reported(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "scope.py").write_text("")
    (tmp_path / "README.md").write_text("The rule lives in `base/scope.py`.\n")
    (tmp_path / "docs" / "design.md").write_text("Scope: `workforce/scope.py` (2023/5/8).\n")
    assert paths_named_in_docs(tmp_path) == ["docs/design.md:1: workforce/scope.py"]


def test_a_folder_the_project_makes_when_run_may_be_named_before_it_exists(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / ".gitignore").write_text("/backups/\n")
    (tmp_path / "README.md").write_text("Dumps go to `backups/`; restore `backups/x.dump`.\n")
    (tmp_path / "docs" / "ops.md").write_text("See `scripts/backup.py`.\n")
    assert paths_named_in_docs(tmp_path) == ["docs/ops.md:1: scripts/backup.py"]
