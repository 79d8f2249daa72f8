import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('welfare', '0007_region_follows'),
    ]

    operations = [
        migrations.AlterField(
            model_name='hardshipcase',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AlterField(
            model_name='solarproject',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AlterField(
            model_name='assistancegrant',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AlterField(
            model_name='carepairing',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AlterField(
            model_name='solarincome',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AddIndex(
            model_name='assistancegrant',
            index=models.Index(fields=['region', 'id'], name='assistance_grant_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
        migrations.AddIndex(
            model_name='carepairing',
            index=models.Index(fields=['region', 'id'], name='care_pairing_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
        migrations.AddIndex(
            model_name='caseevent',
            index=models.Index(fields=['region', 'id'], name='case_event_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
        migrations.AddIndex(
            model_name='hardshipcase',
            index=models.Index(fields=['region', 'id'], name='hardship_case_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
        migrations.AddIndex(
            model_name='solarincome',
            index=models.Index(fields=['region', 'id'], name='solar_income_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
        migrations.AddIndex(
            model_name='solarproject',
            index=models.Index(fields=['region', 'id'], name='solar_project_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
    ]
