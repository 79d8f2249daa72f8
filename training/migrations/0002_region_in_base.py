# Region moved from the workforce app to base with its table (base 0001): only the model state
# changes; the columns and their foreign keys stay as they are, so nothing is rewritten.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('base', '0001_initial'),
        ('training', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='competition',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicalcompetition',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicaltrainingprovider',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicaltrainingsession',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='base.region', verbose_name='organiser region'),
                ),
                migrations.AlterField(
                    model_name='trainingprovider',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='trainingsession',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='organiser region'),
                ),
            ],
            database_operations=[],
        ),
    ]
