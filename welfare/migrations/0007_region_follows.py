
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from base.following import backfill


# Followed records first: a grant takes its case's region once the case has its worker's.
# (Rows written before this migration take their followed record's region: base.following.)
FOLLOWS = [('hardshipcase', 'worker'), ('solarproject', 'worker'), ('caseevent', 'case'), ('assistancegrant', 'case'), ('carepairing', 'senior'), ('solarincome', 'project')]


class Migration(migrations.Migration):

    # The rows are filled here and the column made NOT NULL in the next migration: PostgreSQL
    # refuses to ALTER a table with foreign-key checks pending in the same transaction.
    dependencies = [
        ('base', '0001_initial'),
        ('welfare', '0006_case_event_merged'),
        ('workforce', '0011_region_follows'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='assistancegrant',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AddField(
            model_name='carepairing',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AddField(
            model_name='caseevent',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AddField(
            model_name='hardshipcase',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AddField(
            model_name='solarincome',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AddField(
            model_name='solarproject',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.RunPython(backfill('welfare', FOLLOWS), migrations.RunPython.noop, elidable=True),
    ]
