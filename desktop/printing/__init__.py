"""Printers: the system print queue (Qt), ESC/POS thermal printers, PDF files and a simulator.

Every backend takes a finished :class:`~desktop.documents.model.RenderedDocument` and
either prints it or raises :class:`~desktop.printing.base.PrinterError` with a plain
Chinese message. Which printer serves which document comes from the settings
(:func:`desktop.printing.factory.printer_for`). Only ``desktop.printing.qt`` imports Qt;
the services use the interface in ``base`` and never import a backend.
"""
