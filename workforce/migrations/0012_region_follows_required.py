import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workforce', '0011_region_follows'),
    ]

    operations = [
        migrations.AlterField(
            model_name='honour',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AlterField(
            model_name='skillcertificate',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AlterField(
            model_name='mentorship',
            name='region',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='base.region', verbose_name='region'),
        ),
        migrations.AddIndex(
            model_name='honour',
            index=models.Index(fields=['region', 'id'], name='honour_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
        migrations.AddIndex(
            model_name='mentorship',
            index=models.Index(fields=['region', 'id'], name='mentorship_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
        migrations.AddIndex(
            model_name='skillcertificate',
            index=models.Index(fields=['region', 'id'], name='skill_certificate_region_idx', opclasses=('varchar_pattern_ops', 'int8_ops')),
        ),
    ]
