"""Load test: staff of many counties using the ledger at once, with one large import running.

Run against gunicorn on PostgreSQL seeded with `seed_demo --workers 1000000`; the whole set-up
is `benchmarks/load.sh`, which also writes the table for docs/benchmarks.md. Locust lives in its
own virtualenv (it is a benchmark tool, not a project dependency):

    python3 -m venv /tmp/loadvenv && /tmp/loadvenv/bin/pip install locust==2.47.0
    LOAD_PASSWORD=... /tmp/loadvenv/bin/locust -f benchmarks/locustfile.py --headless \
        -u 50 -r 10 -t 2m --host http://127.0.0.1:8400

The mix: county clerks (lists, name and ID-number searches, record pages, their dashboard),
officials (county, city and province dashboards, drill-downs), welfare officers (hardship lists)
and exactly one importer, who uploads a 5,000-row worker sheet, waits for the check, confirms and
waits for the import to finish. Think time 3–10 s between clicks (LOAD_THINK_MIN/MAX).
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import time

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-password-2026")
# The twelve largest counties of the demo data, one clerk and one welfare officer each.
COUNTIES = os.environ.get(
    "LOAD_COUNTIES",
    "330282,330726,330205,330683,330604,330108,330212,331004,330383,330213,330303,331003",
).split(",")
CITIES = ("330100", "330200", "330300", "330600", "330700", "331000")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
IMPORT_ROWS = int(os.environ.get("LOAD_IMPORT_ROWS", "5000"))
# Seconds between a user's clicks: staff read a list or a dashboard before the next one.
THINK = (
    float(os.environ.get("LOAD_THINK_MIN", "3")),
    float(os.environ.get("LOAD_THINK_MAX", "10")),
)
# Logins happen during the ramp-up, whose statistics are reset (`--reset-stats`): their times
# are kept here and printed at the end, so the main table is the steady state.
LOGIN_SECONDS: list[float] = []


@events.test_stop.add_listener
def report_logins(**_kwargs: object) -> None:
    if LOGIN_SECONDS:
        ordered = sorted(LOGIN_SECONDS)
        p50 = ordered[len(ordered) // 2]
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(f"logins: {len(ordered)}, p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(county: str, serial: int) -> str:
    # Born in the early 1950s: outside the demo data's ages, so the import adds new people
    # (a rerun updates the same ones).
    birth = f"{1951 + serial % 5}{1 + serial % 12:02d}{1 + serial % 28:02d}"
    first17 = f"{county}{birth}{serial % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


class Staff(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    username = ""

    def on_start(self) -> None:
        self.client.get("/admin/login/", name="login page")
        started = time.perf_counter()
        response = self.client.post(
            "/admin/login/?next=/admin/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                "next": "/admin/",
            },
            name="login",
            allow_redirects=False,
        )
        LOGIN_SECONDS.append(time.perf_counter() - started)
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not log in ({response.status_code})")

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")


class CountyClerk(Staff):
    weight = 6

    def on_start(self) -> None:
        self.county = random.choice(COUNTIES)
        self.username = f"load_clerk_{self.county}"
        super().on_start()

    @task(4)
    def worker_list(self) -> None:
        page = random.choice(["", "?p=1", "?p=7", "?employment_form__exact=courier"])
        self.client.get(f"/admin/workforce/worker/{page}", name="admin: worker list")

    @task(4)
    def search_by_name(self) -> None:
        term = random.choice(SURNAMES) + random.choice(SURNAMES + "")
        self.client.get(f"/admin/workforce/worker/?q={term}", name="admin: worker search (name)")

    @task(3)
    def search_by_id_number(self) -> None:
        term = f"{self.county}19{random.randint(60, 99)}"
        response = self.client.get(
            f"/admin/workforce/worker/?q={term}", name="admin: worker search (ID number)"
        )
        match = re.search(r'href="/admin/workforce/worker/(\d+)/change/', response.text)
        if match:
            self.client.get(
                f"/admin/workforce/worker/{match.group(1)}/change/", name="admin: worker page"
            )

    @task(2)
    def honours(self) -> None:
        self.client.get("/admin/workforce/honour/", name="admin: honour list")

    @task(2)
    def certificates(self) -> None:
        self.client.get("/admin/workforce/skillcertificate/", name="admin: certificate list")

    @task(3)
    def dashboard(self) -> None:
        self.client.get(f"/dashboards/{self.county}/", name="dashboard page (county)")
        self.client.get(f"/dashboards/{self.county}/data.json", name="dashboard JSON (county)")


class Official(Staff):
    """Viewers at city level and the province office: dashboards, drilling down."""

    weight = 3

    def on_start(self) -> None:
        self.username = random.choice(
            ["load_viewer_province", *[f"load_viewer_{c}" for c in CITIES]]
        )
        self.region = "330000" if self.username.endswith("province") else self.username[-6:]
        super().on_start()

    @task(3)
    def own_dashboard(self) -> None:
        level = "province" if self.region == "330000" else "city"
        self.client.get(f"/dashboards/{self.region}/", name=f"dashboard page ({level})")
        self.client.get(f"/dashboards/{self.region}/data.json", name=f"dashboard JSON ({level})")

    @task(2)
    def drill_down(self) -> None:
        data = self.client.get(
            f"/dashboards/{self.region}/data.json?year={random.choice([2024, 2025])}",
            name="dashboard JSON (other year)",
        ).json()
        children = [child["code"] for child in data.get("children", [])]
        if children:
            child = random.choice(children)
            self.client.get(f"/dashboards/{child}/data.json", name="dashboard JSON (drill-down)")

    @task(1)
    def worker_list(self) -> None:
        self.client.get("/admin/workforce/worker/", name="admin: worker list (city/province)")


class WelfareOfficer(Staff):
    weight = 1

    def on_start(self) -> None:
        self.county = random.choice(COUNTIES)
        self.username = f"load_welfare_{self.county}"
        super().on_start()

    @task(3)
    def cases(self) -> None:
        status = random.choice(["", "?status__exact=filed", "?status__exact=reported"])
        self.client.get(f"/admin/welfare/hardshipcase/{status}", name="admin: hardship case list")

    @task(1)
    def grants(self) -> None:
        self.client.get("/admin/welfare/assistancegrant/", name="admin: grant list")


class Importer(Staff):
    """Exactly one: a clerk importing a 5,000-row worker sheet while everyone else works."""

    fixed_count = 1
    wait_time = between(1, 1)

    def on_start(self) -> None:
        self.county = COUNTIES[0]
        self.username = f"load_clerk_{self.county}"
        self.done = False
        self.started = time.monotonic()
        super().on_start()

    def sheet(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["职工姓名", "公民身份号码", "县(市、区)", "就业形态"])
        for serial in range(IMPORT_ROWS):
            name = random.choice(SURNAMES) + random.choice(SURNAMES) + "测"
            writer.writerow([name, id_number(self.county, serial), self.county, "快递员"])
        return buffer.getvalue().encode("utf-8-sig")

    def wait_for(self, job_url: str, states: set[str]) -> str:
        while True:
            status = self.client.get(f"{job_url}status.json", name="import: progress").json()
            if status["status"] in states:
                return str(status["status"])
            time.sleep(1)

    @task
    def import_once(self) -> None:
        # Upload once everyone is working (after the ramp-up), so the import shares the steady state.
        if self.done or time.monotonic() - self.started < 35:
            time.sleep(5)
            return
        self.done = True
        self.client.get("/admin/workforce/worker/import/", name="import: form")
        response = self.client.post(
            "/admin/workforce/worker/import/",
            data={"csrfmiddlewaretoken": self.csrf()},
            files={"file": ("load-workers.csv", self.sheet(), "text/csv")},
            name="import: upload",
            allow_redirects=False,
        )
        # The job page is .../importjob/<pk>/change/; its progress and confirm URLs sit beside it.
        job_url = response.headers["Location"].removesuffix("change/")
        state = self.wait_for(job_url, {"checked", "failed"})
        if state != "checked":
            raise RuntimeError(f"the load import's check failed: {job_url}")
        self.client.post(
            f"{job_url}confirm/",
            data={"csrfmiddlewaretoken": self.csrf()},
            name="import: confirm",
            allow_redirects=False,
        )
        state = self.wait_for(job_url, {"done", "failed"})
        if state != "done":
            raise RuntimeError(f"the load import failed: {job_url}")
