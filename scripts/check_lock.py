"""Fail when requirements.lock no longer matches the pins in pyproject.toml.

pyproject.toml lists each direct dependency (runtime and the dev extra) at one version;
`make lock` compiles requirements.lock from it with every indirect dependency and the hashes,
and `make install` installs the lock. This check, offline and in a few milliseconds, catches a
pin changed, added or removed in pyproject.toml without `make lock`: every direct requirement
must be in the lock at its pinned version, and every package the lock records as coming from
pyproject.toml must still be listed there. Extras (`psycopg[binary]`) are not compared.
"""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_pins() -> tuple[dict[str, str], list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins: dict[str, str] = {}
    problems: list[str] = []
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        match = PIN.match(requirement.strip())
        if match is None:
            problems.append(f"pyproject.toml: {requirement!r} is not pinned with ==")
            continue
        pins[normalise(match.group(1))] = match.group(2)
    return pins, problems


def lock_pins() -> tuple[dict[str, str], set[str]]:
    """The lock's pins, and the packages its `# via` notes say pyproject.toml asks for."""
    pins: dict[str, str] = {}
    direct: set[str] = set()
    current: str | None = None
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = normalise(match.group(1))
            pins[current] = match.group(2)
        elif current and line.lstrip().startswith("#") and "(pyproject.toml)" in line:
            direct.add(current)
    return pins, direct


def main() -> int:
    if not (ROOT / "requirements.lock").exists():
        print("requirements.lock is missing: run `make lock`", file=sys.stderr)
        return 1
    wanted, problems = pyproject_pins()
    locked, direct = lock_pins()
    for name, version in sorted(wanted.items()):
        if name not in locked:
            problems.append(f"{name}=={version} is in pyproject.toml but not in requirements.lock")
        elif locked[name] != version:
            problems.append(
                f"{name}: pyproject.toml pins {version}, requirements.lock has {locked[name]}"
            )
    for name in sorted(direct - wanted.keys()):
        problems.append(f"{name} is locked as a direct dependency but no longer in pyproject.toml")
    if problems:
        print("requirements.lock does not match pyproject.toml:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        print("Run `make lock` and commit requirements.lock with pyproject.toml.", file=sys.stderr)
        return 1
    print(f"requirements.lock matches pyproject.toml ({len(wanted)} direct, {len(locked)} in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
