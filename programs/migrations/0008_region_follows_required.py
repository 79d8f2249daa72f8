import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0007_region_follows'),
    ]

    operations = [
        migrations.AlterField(
            model_name='serviceproblem',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AddIndex(
            model_name='serviceproblem',
            index=models.Index(fields=['region', 'id'], name='service_problem_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
    ]
