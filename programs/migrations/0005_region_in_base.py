# Region moved from the workforce app to base with its table (base 0001): only the model state
# changes; the columns and their foreign keys stay as they are, so nothing is rewritten.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('base', '0001_initial'),
        ('programs', '0004_target_dispatch_indicators'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='achievement',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicalachievement',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicalinnovationstudio',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicalpilotunit',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicalservicevisit',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicaltarget',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='innovationstudio',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='pilotunit',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='servicevisit',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='target',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
            ],
            database_operations=[],
        ),
    ]
