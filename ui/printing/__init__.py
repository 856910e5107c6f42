"""Print preview, notices for a case, and the print log (待补打 / 打印记录)."""
