"""Load 浙江省, its 11 cities and 90 county-level divisions (fixtures/regions_zhejiang.json).

Towns are not preloaded: they come from the `regions` import or demo data.
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "regions_zhejiang.json"


def load_regions(apps, schema_editor):
    Region = apps.get_model("workforce", "Region")
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    existing = set(Region.objects.values_list("code", flat=True))
    # Parents come before children in the file, so one pass in file order is enough.
    for row in rows:
        if row["pk"] in existing:
            continue
        fields = row["fields"]
        Region.objects.create(
            code=row["pk"],
            name=fields["name"],
            level=fields["level"],
            parent_id=fields["parent"],
            mountain_island=fields["mountain_island"],
        )


def unload_regions(apps, schema_editor):
    Region = apps.get_model("workforce", "Region")
    codes = [row["pk"] for row in json.loads(FIXTURE.read_text(encoding="utf-8"))]
    # Children first, so PROTECT on parent never fires.
    for level in ("county", "city", "province"):
        Region.objects.filter(code__in=codes, level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [migrations.RunPython(load_regions, unload_regions)]
