"""Print the pinned runtime and development requirements from pyproject.toml, one per line.

The project is an application, not a library, so it is never built as a package: the Makefile
installs exactly these pins into the virtualenv.
"""

import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())[
    "project"
]
for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
    print(requirement)
