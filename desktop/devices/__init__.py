"""Devices at the counter other than printers: the ID-card reader (二代证阅读器).

No Qt, no database here (an import-linter contract keeps it so): a reader is a plain
object whose blocking ``read`` runs on a worker thread, and the screens decide what
to do with the card. ``desktop.devices.spec`` is imported by the settings and stays
free of anything slow to import.
"""
