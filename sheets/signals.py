"""Signals of the import engine. Bulk writes bypass the model signals (they COPY rows straight
into the tables), so whoever keeps something derived from the records listens here too."""

from django.dispatch import Signal

# sender: the model whose rows are about to be inserted or updated in bulk; objects: those rows
# (sent before the write, so that the stored values of updated rows can still be read).
bulk_written = Signal()
