# Region moved from the workforce app to base with its table (base 0001): only the model state
# changes; the columns and their foreign keys stay as they are, so nothing is rewritten.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only'),
        ('base', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='accesslogentry',
                    name='region',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='base.region', verbose_name='region'),
                ),
            ],
            database_operations=[],
        ),
    ]
