"""The demo split by domain: each domain module declares and writes only its own app's records."""

from collections import defaultdict
from collections.abc import Callable
from types import MethodType

import pytest

from demo import build, programs, training, welfare, workforce
from demo.sink import DigestSink, Table

pytestmark = pytest.mark.django_db

DOMAIN_MODULES = (workforce, programs, training, welfare)


def app_of(module_name: str) -> str:
    """demo.welfare → welfare: each domain module is named after the app it fills."""
    return module_name.rpartition(".")[2]


def test_every_demo_table_is_declared_by_its_apps_module_and_written_by_the_driver():
    declared: list[Table] = []
    for module in DOMAIN_MODULES:
        tables = [value for value in vars(module).values() if isinstance(value, Table)]
        assert tables, module.__name__
        assert {table.model._meta.app_label for table in tables} == {app_of(module.__name__)}
        declared += tables
    # A table declared but missing from TABLES would have no buffer in the database sink.
    assert sorted(build.TABLES, key=lambda t: t.label) == sorted(declared, key=lambda t: t.label)
    assert len(set(build.TABLES)) == len(build.TABLES)


def test_each_domain_builder_of_a_county_writes_rows_of_its_own_app_only(monkeypatch):
    sink = DigestSink()
    written: dict[str, set[str]] = defaultdict(set)  # builder module → apps it wrote rows for
    steps = build.CountyBuilder.steps

    def counted(step: Callable[[], None]) -> Callable[[], None]:
        assert isinstance(step, MethodType)  # a bound method of one domain's county builder
        module = type(step.__self__).__module__

        def run() -> None:
            before = dict(sink.counts)
            step()
            for label, count in sink.counts.items():
                if count != before.get(label, 0):
                    written[module].add(label.partition(".")[0])

        return run

    monkeypatch.setattr(
        build.CountyBuilder, "steps", lambda self: [counted(step) for step in steps(self)]
    )
    build.ProvinceBuilder(build.load_context(), workers=1000, sink=sink).run()
    assert dict(written) == {
        module.__name__: {app_of(module.__name__)} for module in DOMAIN_MODULES
    }
