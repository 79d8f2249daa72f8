"""Signals of the import engine. Bulk writes bypass the model signals (they COPY rows straight
into the tables), so whoever keeps something derived from the records listens here too."""

from django.dispatch import Signal

# sender: the model whose rows were inserted or updated in bulk.
bulk_written = Signal()
