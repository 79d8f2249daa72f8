"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser download does not work on our machines, so the tests launch the system
Chromium (`apt-get install chromium fonts-noto-cjk`) and are skipped, saying why, without it.
Every page a test opens is watched: a request to any host but the live server, or a script or
console error, fails the test. Screenshots go to artifacts/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connections

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
NOT_REQUESTS = {"data", "blob", "about"}
TIMEOUT_MS = 15_000
# Pages axe-core is checking right now: what it does there is not the site's doing.
AXE_RUNNING: set[Any] = set()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        reason = (
            f"Chromium not found ({CHROMIUM}): browser tests skipped; "
            "install it with `apt-get install chromium fonts-noto-cjk`"
        )
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason.replace("skipped", "required (REQUIRE_BROWSER is set)"))
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread. Django then refuses
    # database calls unless told they are safe (they are: the loop only drives the browser), and
    # looks connections up per async context instead of per thread, which would hand the tests
    # fresh connections without pytest-django's saved data (its serialized rollback) and
    # unknown to the live server. So the thread's own connections are put back in that place.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    own = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, connection in own.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class RequestLog:
    """Every request the pages of one browser context made, and those to foreign hosts."""

    def __init__(self, server_url: str) -> None:
        self.server = urlsplit(server_url).netloc
        self.urls: list[str] = []
        self.foreign: list[str] = []

    def record(self, request: Any) -> None:
        url = request.url
        self.urls.append(url)
        parts = urlsplit(url)
        if parts.scheme not in NOT_REQUESTS and parts.netloc != self.server:
            self.foreign.append(url)


@pytest.fixture
def live(live_server: Any, django_db_serialized_rollback: None) -> Any:
    """The live server, on a database that has the migrations' regions and role groups back
    (a transactional test empties every table when it ends)."""
    return live_server


@pytest.fixture
def open_browser(browser: Any, live: Any) -> Iterator[Callable[[], Any]]:
    """`open_browser()` -> a page in a fresh browser (own cookies), Chinese locale; several may
    be open at once. Each fails the test on any request to another host than the live server,
    and on any script or console error in its pages (a blocked script, a missing file)."""
    opened: list[tuple[Any, RequestLog]] = []
    script_errors: list[str] = []

    def _open() -> Any:
        context = browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": 1366, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        log = RequestLog(live.url)
        context.on("request", log.record)
        opened.append((context, log))
        page = context.new_page()
        page.on("pageerror", lambda error: script_errors.append(f"{page.url}: {error}"))

        # Console errors: resources that failed to load, and anything the CSP refused. Not the
        # page's own status (a test checks that itself), nor what axe-core does while checking.
        def console(message: Any) -> None:
            if message.type != "error" or page in AXE_RUNNING:
                return
            if message.location.get("url") == page.url and "Failed to load" in message.text:
                return
            script_errors.append(f"{page.url}: {message.text}")

        page.on("console", console)
        return page

    yield _open
    foreign = [url for _context, log in opened for url in log.foreign]
    for context, _log in opened:
        context.close()
    assert not foreign, f"pages requested other hosts than the test server: {foreign}"
    assert not script_errors, f"script errors: {script_errors}"


@pytest.fixture
def page(open_browser: Callable[[], Any]) -> Any:
    return open_browser()


def log_in(page: Any, live: Any, username: str) -> None:
    """Through the real (Chinese) login form."""
    page.goto(f"{live.url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.locator("#user-tools").wait_for()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_accessibility_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page once its scripts have settled."""
    page.wait_for_load_state("networkidle")
    AXE_RUNNING.add(page)
    try:
        return _axe_violations(page)
    finally:
        AXE_RUNNING.discard(page)


def _axe_violations(page: Any) -> list[str]:
    # The site's Content-Security-Policy refuses inline scripts, so axe is not added as a <script>
    # tag but evaluated by the browser's automation channel, which the policy does not govern.
    page.evaluate(f"() => {{ {AXE.read_text()}\n }}")
    result = page.evaluate("() => window.axe.run(document, { resultTypes: ['violations'] })")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


class BackgroundWorker:
    """Runs the import jobs the pages enqueue in a thread, like `db_worker` beside the server,
    pausing after each progress report until the test lets it go on."""

    def __init__(self, live: Any) -> None:
        self.reported = threading.Semaphore(0)
        self.go_on = threading.Semaphore(0)
        self.unpaused = threading.Event()
        self.thread: threading.Thread | None = None
        self.failure: BaseException | None = None
        # An in-memory SQLite test database lives in one connection, which the live server's
        # thread borrows; the worker borrows it too. Other databases get a connection per thread.
        self.shared_connection = live.thread.connections_override.get("default")

    def enqueued(self, sender: Any, task_result: Any, **kwargs: Any) -> None:
        job_id, dry_run, user_id, *rest = task_result.args
        only_valid = bool(rest[0]) if rest else False
        self.thread = threading.Thread(
            target=self._run, args=(job_id, dry_run, user_id, only_valid)
        )
        self.thread.start()

    def _run(self, job_id: int, dry_run: bool, user_id: int | None, only_valid: bool) -> None:
        from django.contrib.auth import get_user_model

        from sheets.models import ImportJob
        from sheets.services import import_job_execute

        if self.shared_connection is not None:
            connections["default"] = self.shared_connection
        try:
            import_job_execute(
                job=ImportJob.objects.get(pk=job_id),
                dry_run=dry_run,
                user=get_user_model().objects.filter(pk=user_id).first() if user_id else None,
                only_valid=only_valid,
                on_progress=self._pause,
            )
        except BaseException as error:  # reported to the test, which would otherwise hang
            self.failure = error
            self.reported.release()
        finally:
            if self.shared_connection is None:
                connections.close_all()

    def _pause(self, done: int, total: int) -> None:
        if self.unpaused.is_set():
            return
        self.reported.release()
        if not self.go_on.acquire(timeout=60):
            raise TimeoutError("the test never let the import go on")

    def wait_for_progress(self) -> None:
        """Until the import has reported progress and stopped there."""
        assert self.reported.acquire(timeout=30), "the import reported no progress"
        if self.failure:
            raise self.failure

    def step(self) -> None:
        """Let the paused import go on to its next progress report."""
        self.go_on.release()

    def finish(self) -> None:
        """Let the import run to its end, and wait for it."""
        self.unpaused.set()
        self.go_on.release()
        if self.thread:
            self.thread.join(timeout=60)


@pytest.fixture
def background_worker(settings: Any, live: Any) -> Iterator[BackgroundWorker]:
    """Imports above 20 kB go to the background queue; the worker here runs them."""
    from django_tasks.signals import task_enqueued

    settings.SHEETS_BACKGROUND_BYTES = 20_000
    # The dummy backend only queues: nothing runs inside the request.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    worker = BackgroundWorker(live)
    task_enqueued.connect(worker.enqueued)
    yield worker
    task_enqueued.disconnect(worker.enqueued)
    worker.finish()
