"""Printed documents: receipts on 80 mm thermal paper, notices on A4 (reportlab, embedded CJK font)."""
