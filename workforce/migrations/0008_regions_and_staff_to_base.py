# Region moved from the workforce app to base with its table (base 0001): only the model state
# changes; the columns and their foreign keys stay as they are, so nothing is rewritten.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('base', '0001_initial'),
        ('workforce', '0007_person_name_label'),
        # Every foreign key to the old model state is moved first.
        ('audit', '0003_region_in_base'),
        ('programs', '0005_region_in_base'),
        ('sheets', '0003_region_in_base'),
        ('training', '0002_region_in_base'),
        ('welfare', '0005_region_in_base'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='region',
                    name='parent',
                ),
                migrations.RemoveField(
                    model_name='staffprofile',
                    name='region',
                ),
                migrations.AlterField(
                    model_name='transfer',
                    name='from_region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='from region'),
                ),
                migrations.AlterField(
                    model_name='enterprise',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicalworker',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicaltransfer',
                    name='from_region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='from region'),
                ),
                migrations.AlterField(
                    model_name='historicalenterprise',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='unionorganisation',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicalunionorganisation',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='transfer',
                    name='to_region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='to region'),
                ),
                migrations.AlterField(
                    model_name='historicaltransfer',
                    name='to_region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='to region'),
                ),
                migrations.AlterField(
                    model_name='worker',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
                migrations.RemoveField(
                    model_name='staffprofile',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='HistoricalRegion',
                ),
                migrations.DeleteModel(
                    name='Region',
                ),
                migrations.DeleteModel(
                    name='StaffProfile',
                ),
            ],
            database_operations=[],
        ),
    ]
