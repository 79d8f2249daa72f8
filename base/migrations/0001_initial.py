# Regions and staff profiles moved from the workforce app to base, keeping their tables
# (workforce_region, workforce_historicalregion, workforce_staffprofile): the model state
# moves, the database does not. Their content types move with them, so permissions and
# history entries that point at them keep working.
from typing import Any

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = ("region", "historicalregion", "staffprofile")


def _relabel(apps: Any, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps: Any, schema_editor: Any) -> None:
    _relabel(apps, "workforce", "base")


def move_content_types_back(apps: Any, schema_editor: Any) -> None:
    _relabel(apps, "base", "workforce")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("workforce", "0007_person_name_label"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Region',
                    fields=[
                        ('code', models.CharField(max_length=9, primary_key=True, serialize=False, validators=[django.core.validators.RegexValidator('^\\d{6}(\\d{3})?$', 'A division code has 6 digits, or 9 for a town or park.')], verbose_name='division code')),
                        ('name', models.CharField(db_index=True, max_length=64, verbose_name='name')),
                        ('level', models.CharField(choices=[('province', 'province'), ('city', 'city'), ('county', 'county'), ('town', 'town')], max_length=8, verbose_name='level')),
                        ('mountain_island', models.BooleanField(default=False, help_text='One of the 26 mountain-area counties or an island county (山区海岛县).', verbose_name='mountain or island county')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='base.region', verbose_name='parent region')),
                    ],
                    options={
                        'verbose_name': 'region',
                        'verbose_name_plural': 'regions',
                        'db_table': 'workforce_region',
                        'ordering': ('code',),
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalRegion',
                    fields=[
                        ('code', models.CharField(db_index=True, max_length=9, validators=[django.core.validators.RegexValidator('^\\d{6}(\\d{3})?$', 'A division code has 6 digits, or 9 for a town or park.')], verbose_name='division code')),
                        ('name', models.CharField(db_index=True, max_length=64, verbose_name='name')),
                        ('level', models.CharField(choices=[('province', 'province'), ('city', 'city'), ('county', 'county'), ('town', 'town')], max_length=8, verbose_name='level')),
                        ('mountain_island', models.BooleanField(default=False, help_text='One of the 26 mountain-area counties or an island county (山区海岛县).', verbose_name='mountain or island county')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('parent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='parent region')),
                    ],
                    options={
                        'verbose_name': 'historical region',
                        'verbose_name_plural': 'historical regions',
                        'db_table': 'workforce_historicalregion',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='StaffProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='base.region', verbose_name='region')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='staff_profile', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'staff profile',
                        'verbose_name_plural': 'staff profiles',
                        'db_table': 'workforce_staffprofile',
                    },
                ),
                migrations.AddConstraint(
                    model_name='region',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('code__endswith', '0000'), ('level', 'province'), ('parent__isnull', True)), models.Q(('code__endswith', '00'), ('level', 'city'), ('parent__isnull', False)), models.Q(('level', 'county'), ('parent__isnull', False), models.Q(('code__endswith', '00'), _negated=True)), models.Q(('level', 'town'), ('parent__isnull', False)), _connector='OR'), name='region_level_shape', violation_error_message='The code and parent do not fit the level (a province has no parent and ends in 0000, a city ends in 00).'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
