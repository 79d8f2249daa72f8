"""Load the honour titles (fixtures/honour_titles.json); local titles come by import."""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "honour_titles.json"


def load(apps, schema_editor):
    HonourTitle = apps.get_model("workforce", "HonourTitle")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = dict(row["fields"])
        HonourTitle.objects.get_or_create(name=fields.pop("name"), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0004_domain_records")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
