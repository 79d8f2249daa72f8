
import django.db.models.deletion
from django.db import migrations, models

from base.following import backfill


# Followed records first: a grant takes its case's region once the case has its worker's.
# (Rows written before this migration take their followed record's region: base.following.)
FOLLOWS = [('enrolment', 'worker'), ('competitionresult', 'worker'), ('educationsubsidy', 'worker')]


class Migration(migrations.Migration):

    # The rows are filled here and the column made NOT NULL in the next migration: PostgreSQL
    # refuses to ALTER a table with foreign-key checks pending in the same transaction.
    dependencies = [
        ('base', '0001_initial'),
        ('training', '0002_region_in_base'),
        ('workforce', '0011_region_follows'),
    ]

    operations = [
        migrations.AddField(
            model_name='competitionresult',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AddField(
            model_name='educationsubsidy',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AddField(
            model_name='enrolment',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.RunPython(backfill('training', FOLLOWS), migrations.RunPython.noop, elidable=True),
    ]
