"""Create the four role groups. Their permissions are kept in step with workforce.roles by a
post_migrate receiver, because permissions for models of later migrations do not exist yet here."""

from django.db import migrations

ROLE_CODES = ("admin", "clerk", "welfare", "viewer")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for code in ROLE_CODES:
        Group.objects.get_or_create(name=code)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_CODES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0002_zhejiang_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
