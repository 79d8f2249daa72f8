# Region moved from the workforce app to base with its table (base 0001): only the model state
# changes; the columns and their foreign keys stay as they are, so nothing is rewritten.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('base', '0001_initial'),
        ('welfare', '0004_person_name_label'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='dispatch',
                    name='region',
                    field=models.ForeignKey(help_text='The town union (or region) that verifies this person.', on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='assigned to'),
                ),
                migrations.AlterField(
                    model_name='historicaldispatch',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='The town union (or region) that verifies this person.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='assigned to'),
                ),
                migrations.AlterField(
                    model_name='historicalrecuperationtrip',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='organiser region'),
                ),
                migrations.AlterField(
                    model_name='historicalservicestation',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='recuperationtrip',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='organiser region'),
                ),
                migrations.AlterField(
                    model_name='servicestation',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
            ],
            database_operations=[],
        ),
    ]
