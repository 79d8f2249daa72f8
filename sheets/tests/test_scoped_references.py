"""A row may only refer to records inside the importing user's scope (issue #13, break 4): a
workers sheet naming another county's enterprise by credit code or by name never links it, and
its answer is the one a code nobody has gets — it does not prove that the code exists."""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest
from django.urls import reverse

from base.models import Region
from base.roles import Role
from sheets.resources import all_resources
from sheets.services import sheet_import
from tests import factories
from tests.sheetfiles import xlsx
from training.models import Competition
from welfare.models import Dispatch
from workforce.models import Enterprise, Worker

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "所属地区", "工作单位", "就业形态"]


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def workers_sheet(enterprise: str, serial: int = 1) -> bytes:
    person = ["张三", factories.valid_id_number("330381", serial), "瑞安市", enterprise, "快递员"]
    return xlsx([HEADER, person])


def check(user, resource: str, data: bytes, *, dry_run: bool = True):
    return sheet_import(
        resource_name=resource, data=data, file_name="sheet.xlsx", user=user, dry_run=dry_run
    )


def test_a_clerk_cannot_link_another_countys_enterprise_by_credit_code_nor_learn_it_exists():
    clerk = factories.staff("ra_clerk", Role.CLERK, "330381")
    yueqing = factories.build(
        Enterprise, region("330382"), credit_code=factories.valid_credit_code("330382", 7)
    )
    unknown = factories.valid_credit_code("330382", 999_999)
    report, _changes = check(clerk, "workers", workers_sheet(yueqing.credit_code), dry_run=False)
    answer_for_theirs = [e.message.replace(yueqing.credit_code, "CODE") for e in report.errors]
    report_unknown, _changes = check(clerk, "workers", workers_sheet(unknown, serial=2))
    answer_for_none = [e.message.replace(unknown, "CODE") for e in report_unknown.errors]
    assert answer_for_theirs and answer_for_theirs == answer_for_none
    assert not Worker.objects.filter(enterprise=yueqing).exists()


def test_a_clerk_naming_another_countys_enterprise_gets_a_new_one_of_their_own():
    clerk = factories.staff("ra_clerk", Role.CLERK, "330381")
    yueqing = factories.build(Enterprise, region("330382"), name="乐清电气有限公司")
    report, _changes = check(clerk, "workers", workers_sheet(yueqing.name), dry_run=False)
    assert not report.errors, report.errors
    worker = Worker.objects.select_related("enterprise").get(name="张三")
    assert worker.enterprise != yueqing
    assert worker.enterprise.region_id.startswith("330381")
    assert worker.enterprise.name == yueqing.name


def test_a_county_admin_cannot_link_a_dispatch_to_another_countys_worker():
    factories.town("330381001", "安阳街道")
    admin = factories.staff("ra_admin", Role.ADMIN, "330381")
    theirs = factories.build(Worker, region("330382"))
    sheet = xlsx(
        [
            ["姓名", "身份证号", "所属镇街", "派单日期"],
            [theirs.name, theirs.id_number, "安阳街道", "2024-05-08"],
        ]
    )
    report, _changes = check(admin, "dispatches", sheet, dry_run=False)
    assert not report.errors, report.errors
    dispatch = Dispatch.objects.get(id_number=theirs.id_number)
    assert dispatch.worker_id is None


def test_results_cannot_be_filed_under_another_countys_competition():
    clerk = factories.staff("ra_clerk", Role.CLERK, "330381")
    theirs = factories.build(Competition, region("330382"), name="乐清技能大赛")
    sheet = xlsx(
        [
            ["竞赛名称", "举办日期", "姓名", "身份证号", "名次"],
            [
                theirs.name,
                theirs.held_on.isoformat(),
                "张三",
                factories.valid_id_number("330381", 5),
                1,
            ],
        ]
    )
    report, _changes = check(clerk, "competition-results", sheet)
    assert [e.column for e in report.errors] == ["竞赛名称"]
    assert theirs.name in report.errors[0].message  # "no competition …; import it first"


def test_the_admin_form_offers_no_other_countys_enterprise(login):
    clerk = factories.staff("ra_clerk", Role.CLERK, "330381")
    yueqing = factories.build(Enterprise, region("330382"))
    ours = factories.build(Enterprise, region("330381"))
    form = login(clerk).get(reverse("admin:workforce_worker_add")).context["adminform"].form
    offered = set(form.fields["enterprise"].queryset.values_list("pk", flat=True))
    assert ours.pk in offered and yueqing.pk not in offered


# Manager methods that write records rather than look them up.
WRITES = ("bulk_create", "create")


@pytest.mark.parametrize("name", sorted(all_resources()))
def test_every_look_up_a_sheet_makes_asks_for_the_users_scope(name):
    """Every query a resource makes for the records its rows refer to goes through
    `context.referable` (or the Context's own scoped look-ups): a new sheet type that queries a
    model directly fails here."""
    resource = all_resources()[name]
    direct = []
    # The sheet type's own classes (not the engine's base, whose natural-key match finds the
    # sheet's own records, judged by their scope row by row).
    for klass in resource.__mro__:
        app, _dot, module = klass.__module__.partition(".")
        if module != "resources" or app not in ("workforce", "programs", "training", "welfare"):
            continue
        tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
                writes = parents.get(node)
                if isinstance(writes, ast.Attribute) and writes.attr in WRITES:
                    continue  # writing the sheet's own records (timeline lines), not a look-up
                chain, inside = node, False
                while chain in parents:
                    chain = parents[chain]
                    if (
                        isinstance(chain, ast.Call)
                        and ast.unparse(chain.func) == "context.referable"
                    ):
                        inside = True
                        break
                if not inside:
                    direct.append(f"{klass.__name__}: {ast.unparse(node)}")
    assert not direct, f"{name} queries {direct} without context.referable"
