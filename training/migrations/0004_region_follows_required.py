import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0003_region_follows'),
    ]

    operations = [
        migrations.AlterField(
            model_name='enrolment',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AlterField(
            model_name='competitionresult',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AlterField(
            model_name='educationsubsidy',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AddIndex(
            model_name='competitionresult',
            index=models.Index(fields=['region', 'id'], name='competition_result_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
        migrations.AddIndex(
            model_name='educationsubsidy',
            index=models.Index(fields=['region', 'id'], name='education_subsidy_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
        migrations.AddIndex(
            model_name='enrolment',
            index=models.Index(fields=['region', 'id'], name='enrolment_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
    ]
