from django.contrib.admin.apps import AdminConfig


class LedgerAdminConfig(AdminConfig):
    """The stock admin app with the ledger's own site (adminsite/sites.py) as `admin.site`."""

    default_site = "adminsite.sites.LedgerAdminSite"
