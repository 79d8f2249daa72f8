"""The workbooks of reporting rounds (being written)."""

from __future__ import annotations

from typing import Any

from base.models import Region
from reporting.models import Round, Submission


def submission_workbook(*, submission: Submission, user: Any) -> bytes:
    raise NotImplementedError


def completeness_workbook(*, round_: Round, parent: Region, user: Any) -> bytes:
    raise NotImplementedError
