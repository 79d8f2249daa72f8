"""Import benchmark: 100,000 workers from one .xlsx, on the configured (PostgreSQL) database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ledger_bench \
        .venv/bin/python benchmarks/import_workers.py --rows 100000

Steps, each in its own process so that peak memory is per step:
  (a) first import, (b) the same file again (nothing changes), (c) a file with every row
  changed, (d) the same first file through a plain django-import-export ModelResource with
  default settings, into an empty table. Times are whole-process wall times of
  `manage.py import_sheet` (including Django start-up and reading the file).

With --ratio N (issue #16) the script instead measures, in one run on the same file, openpyxl's
bare read of the file (a process that loads it read-only and walks every row's values), (a) the
first import and (b) the unchanged re-import, each as a whole process, N times, interleaved
(openpyxl, (a), (b), openpyxl, (a), (b) …) so that the machine's load affects them alike. It
reports the medians of wall time and of CPU time (user + system of the child process) and the
ratios import / openpyxl of both; the table is emptied before each (a).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

# Empties what the benchmark writes: run it on a database of its own.
CLEAN = (
    "from workforce.models import Worker, Enterprise; from sheets.models import ImportJob; "
    "Worker.history.all().delete(); Worker.objects.all().delete(); "
    "Enterprise.history.all().delete(); Enterprise.objects.all().delete(); "
    "ImportJob.objects.all().delete()"
)
HEADER = [
    "序号",
    "姓名",
    "身份证号",
    "手机号",
    "所属地区",
    "工作单位",
    "职业(工种)",
    "就业形态",
    "是否工会会员",
    "入会日期",
]
COUNTIES = ["330327", "330381", "330382", "330302", "330324", "330326"]
FORMS = ["标准", "标准", "标准", "快递员", "外卖骑手", "网约车司机"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧建国平刚桂兰红霞峰鹏辉"


def generate(path: Path, rows: int, *, variant: int) -> None:
    import openpyxl

    from base.identity import id_number_check_char

    rng = random.Random(20261121)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("职工名册")
    sheet.append(["2026年职工名册（基准测试）"])
    sheet.append(HEADER)
    names = {
        "330327": "苍南县",
        "330381": "瑞安市",
        "330382": "乐清市",
        "330302": "鹿城区",
        "330324": "永嘉县",
        "330326": "平阳县",
    }
    for index in range(rows):
        county = COUNTIES[index % len(COUNTIES)]
        # (birth date, serial) pairs are unique: a thousand serials per date.
        born = datetime.date(1966, 1, 1) + datetime.timedelta(days=(index // 1000) * 131)
        birth = born.strftime("%Y%m%d")
        first17 = f"{county}{birth}{(index % 1000):03d}"
        # 6 counties x 40 years x 12 months x 28 days x 1000 serials: unique for 100k rows
        id_number = first17 + id_number_check_char(first17)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if index % 3 else "")
        sheet.append(
            [
                index + 1,
                name,
                id_number,
                f"13{index % 10}{index:08d}"[:11],
                names[county],
                f"温州{county[-2:]}号机械有限公司" if index % 4 else None,
                "钳工" if variant == 0 else "焊工",
                FORMS[index % len(FORMS)],
                "是" if index % 5 else "否",
                f"20{10 + index % 15}年{1 + index % 12}月" if index % 5 else None,
            ]
        )
    workbook.save(path)


def plain_import(path: Path) -> None:
    import django

    django.setup()
    import tablib
    from import_export import fields, resources, widgets

    from base.models import Region
    from workforce.models import Worker

    class PlainWorkerResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        id_number = fields.Field(attribute="id_number", column_name="身份证号")
        phone = fields.Field(attribute="phone", column_name="手机号")
        region = fields.Field(
            attribute="region",
            column_name="所属地区",
            widget=widgets.ForeignKeyWidget(Region, "name"),
        )
        occupation = fields.Field(attribute="occupation", column_name="职业(工种)")
        employment_form = fields.Field(attribute="employment_form", column_name="就业形态")
        union_member = fields.Field(
            attribute="union_member", column_name="是否工会会员", widget=widgets.BooleanWidget()
        )

        class Meta:
            model = Worker
            import_id_fields = ("id_number",)
            fields = (
                "name",
                "id_number",
                "phone",
                "region",
                "occupation",
                "employment_form",
                "union_member",
            )

    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))[1:]
    header, body = rows[0], rows[1:]
    width = len(header)
    cells = [
        tuple("" if v is None else str(v) for v in (tuple(row) + (None,) * width)[:width])
        for row in body
    ]
    dataset = tablib.Dataset(*cells, headers=header)
    result = PlainWorkerResource().import_data(dataset, dry_run=False)
    print(
        f"plain: created={result.totals['new']} updated={result.totals['update']} errors={len(result.row_errors())}"
    )


# The same, quicker on PostgreSQL (the ORM's delete collects 100,000 workers' relations first):
# TRUNCATE, which also empties the tables that refer to these. A database of its own only.
CLEAN_FAST = (
    "from django.db import connection; "
    "from workforce.models import Worker, Enterprise; from sheets.models import ImportJob; "
    "tables = [m._meta.db_table for m in (Worker, Worker.history.model, Enterprise, "
    "Enterprise.history.model, ImportJob)]; "
    "connection.cursor().execute('TRUNCATE ' + ', '.join(tables) + ' CASCADE') "
    "if connection.vendor == 'postgresql' else exec(CLEAN)"
)

# openpyxl's bare read: what "opening the file" costs (issue #16's yardstick).
OPENPYXL_READ = """
import sys, openpyxl
workbook = openpyxl.load_workbook(sys.argv[1], read_only=True)
rows = 0
for values in workbook.active.iter_rows(values_only=True):
    rows += 1
print("rows=%d" % rows)
"""


def timed_cpu(command: list[str]) -> tuple[float, float, str]:
    """Wall time, CPU time (user + system of the child) and the last output line of a process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode:
        print(process.stderr[-2000:], file=sys.stderr)
    last = (process.stdout.strip().splitlines() or [process.stderr.strip()[-300:]])[-1]
    return elapsed, cpu, last


def ratio_run(first: Path, repeats: int) -> None:
    """openpyxl's read, (a) and (b), interleaved `repeats` times; medians and ratios."""
    python = sys.executable
    steps = {
        "openpyxl read": [python, "-c", OPENPYXL_READ, str(first)],
        "(a) first import": [python, "manage.py", "import_sheet", "workers", str(first)],
        "(b) re-import unchanged": [python, "manage.py", "import_sheet", "workers", str(first)],
    }
    walls: dict[str, list[float]] = {label: [] for label in steps}
    cpus: dict[str, list[float]] = {label: [] for label in steps}
    results: dict[str, set[str]] = {label: set() for label in steps}
    for repeat in range(repeats):
        for label, command in steps.items():
            if label.startswith("(a)"):
                subprocess.run(
                    [python, "manage.py", "shell", "-c", f"CLEAN = {CLEAN!r}; {CLEAN_FAST}"],
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                )
            wall, cpu, last = timed_cpu(command)
            walls[label].append(wall)
            cpus[label].append(cpu)
            results[label].add(last)
            print(
                f"run {repeat + 1}: {label}: wall {wall:.2f} s, CPU {cpu:.2f} s, {last}", flush=True
            )
    base_wall = statistics.median(walls["openpyxl read"])
    base_cpu = statistics.median(cpus["openpyxl read"])
    print(f"load average after the runs: {os.getloadavg()}")
    print("| step | wall s | CPU s | wall / openpyxl | CPU / openpyxl | result |")
    print("|---|---:|---:|---:|---:|---|")
    for label in steps:
        wall, cpu = statistics.median(walls[label]), statistics.median(cpus[label])
        shown = " / ".join(f"`{r}`" for r in sorted(results[label]))
        print(
            f"| {label} | {wall:.2f} | {cpu:.2f} | {wall / base_wall:.2f} | {cpu / base_cpu:.2f} "
            f"| {shown} |"
        )


# Runs a script in a child interpreter and reports the child's own peak RSS on exit.
PEAK_WRAPPER = """
import resource, runpy, sys
script, sys.argv = sys.argv[1], sys.argv[1:]
try:
    runpy.run_path(script, run_name="__main__")
finally:
    print("PEAK_KB=%d" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def timed(script: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall time, peak RSS in MB and the last output line of `python SCRIPT ARGS`."""
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-c", PEAK_WRAPPER, *script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    peaks = [line for line in process.stderr.splitlines() if line.startswith("PEAK_KB=")]
    peak_mb = int(peaks[-1].split("=")[1]) / 1024 if peaks else float("nan")
    last = (process.stdout.strip().splitlines() or [process.stderr.strip()[-300:]])[-1]
    if process.returncode:
        print(process.stderr[-2000:], file=sys.stderr)
    return elapsed, peak_mb, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--plain", dest="plain", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, metavar=("PATH", "VARIANT"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--skip-plain", action="store_true", help="skip step (d), which takes minutes"
    )
    parser.add_argument("--only-plain", action="store_true", help="run step (d) alone")
    parser.add_argument(
        "--ratio",
        type=int,
        metavar="N",
        help="measure openpyxl's read, (a) and (b) N times each, interleaved (issue #16)",
    )
    args = parser.parse_args()
    if args.generate:
        import django

        django.setup()
        generate(Path(args.generate[0]), args.rows, variant=int(args.generate[1]))
        return
    if args.plain:
        plain_import(Path(os.environ["BENCH_FILE"]))
        return

    python = sys.executable
    work = Path(os.environ.get("BENCH_DIR", "/tmp"))
    first, changed = work / "bench_workers.xlsx", work / "bench_workers_changed.xlsx"
    if args.ratio:
        if not first.exists():
            subprocess.run(
                [python, __file__, "--rows", str(args.rows), "--generate", str(first), "0"],
                check=True,
            )
        print(f"rows: {args.rows:,}; file {first} {first.stat().st_size / 2**20:.1f} MB")
        ratio_run(first, args.ratio)
        return
    for path, variant in ((first, 0), (changed, 1)):
        subprocess.run(
            [python, __file__, "--rows", str(args.rows), "--generate", str(path), str(variant)],
            check=True,
        )
    manage = [python, "manage.py"]
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            CLEAN,
        ],
        check=True,
    )
    print(f"rows: {args.rows:,}; file {first.stat().st_size / 2**20:.1f} MB")
    print("| step | wall s | peak MB | result |")
    print("|---|---:|---:|---|")
    steps = (
        ()
        if args.only_plain
        else (
            ("(a) first import", first),
            ("(b) re-import unchanged", first),
            ("(c) re-import, every row changed", changed),
        )
    )
    for label, path in steps:
        elapsed, peak, last = timed(["manage.py", "import_sheet", "workers", str(path)])
        print(f"| {label} | {elapsed:.1f} | {peak:.0f} | `{last}` |", flush=True)
    if not args.skip_plain:
        subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                CLEAN,
            ],
            check=True,
        )
        env = {**os.environ, "BENCH_FILE": str(first)}
        elapsed, peak, last = timed([__file__, "--plain"], env=env)
        print(f"| (d) plain ModelResource, first import | {elapsed:.1f} | {peak:.0f} | `{last}` |")


if __name__ == "__main__":
    main()
