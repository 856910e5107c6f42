"""Errors raised when a rule of the Regulations or a validation refuses input.

Every refusal carries a Chinese message meant for the person at the screen and
a stable machine code so that tests and the UI can react without parsing text.
"""

from __future__ import annotations


class RuleViolation(Exception):
    """An action refused by a rule; ``message`` is shown to the user as is."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(RuleViolation):
    """Input that is malformed (wrong checksum, bad phone number, too long)."""

    def __init__(self, code: str, message: str, field: str = "") -> None:
        super().__init__(code, message)
        self.field = field


class FileRefused(RuleViolation, FileExistsError):
    """A file the program will not write (it exists and may not be replaced); the message says what to do."""

    def __init__(self, message: str) -> None:
        RuleViolation.__init__(self, "file_exists", message)


class StorageProblem(RuleViolation):
    """The database could not be written (disk full, read-only, failing disk); nothing of the action was kept.

    Raised by every write through ``Hall.transaction()``: the transaction was rolled back as a
    whole, so a form can say so, keep what was typed and let the user save again later.
    """


class StorageFull(StorageProblem):
    """The disk holding the database is full."""

    def __init__(self, message: str = "") -> None:
        super().__init__("storage_full", message or (
            "本机磁盘已满，本次操作没有保存（已填写的内容仍在，此前保存的记录不受影响）。"
            "请联系系统管理员清理本机磁盘空间，然后再保存一次"))
