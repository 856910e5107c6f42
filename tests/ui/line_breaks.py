"""Where Qt breaks the lines of the labels on show, to find a line broken inside a phrase."""

from __future__ import annotations

import re

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QWidget

from ui.common.widgets import BREAK, WORD_JOINER

_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")


def label_lines(widget: QLabel) -> list[tuple[str, float]]:
    """The lines ``widget`` (word-wrapped, plain text) shows, as laid out, with the widths they take."""
    shown = QLabel.text(widget).replace("\n", "\u2028")  # a new line, as the label draws it
    layout = QTextLayout(shown, widget.font())
    option = QTextOption(widget.alignment())
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    width = widget.contentsRect().width() - 2 * widget.margin()
    lines: list[tuple[str, float]] = []
    layout.beginLayout()
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        text = shown[line.textStart():line.textStart() + line.textLength()].replace("\u2028", "\n")
        lines.append((text, line.naturalTextWidth()))
    layout.endLayout()
    return lines


def broken_words(root: QWidget, *, longest: int = 40, skip: tuple[str, ...] = ()) -> list[str]:
    """Each visible word-wrapped label under ``root`` broken between two Chinese characters where its text
    marks no phrase boundary (a paragraph longer than ``longest`` characters only inside a word that fits its
    line: 上一 / 级机关; a label named in ``skip`` may break as Qt does), and each line wider than its label:
    "轻触即 / 可取号 (title at 984 px)"."""
    from ui.common.words import word_spans

    found: list[str] = []
    for widget in root.findChildren(QLabel):
        if not widget.isVisible() or not widget.wordWrap() or not widget.text() or widget.objectName() in skip \
                or widget.textFormat() == Qt.TextFormat.RichText \
                or (widget.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(widget.text())):
            continue
        lines = label_lines(widget)
        width = widget.contentsRect().width() - 2 * widget.margin()
        plain = [text.replace(WORD_JOINER, "").replace(BREAK, "") for text, _ in lines]
        for (_shown, natural), words in zip(lines, plain, strict=True):
            if natural > width + 1:
                found.append(f"{words} wider than its label ({natural:.0f} > {width} px)")
        if len("".join(plain)) > longest:
            text, ends, at = "".join(plain), {}, 0
            for index, line in enumerate(plain[:-1]):
                at += len(line)
                ends[at] = index
            metrics = widget.fontMetrics()
            found += [f"{plain[ends[cut]].rstrip()[-6:]} / {plain[ends[cut] + 1][:6]} (a paragraph's {text[start:end]} "
                      f"at {width} px)" for start, end in word_spans(text) for cut in ends
                      if start < cut < end and metrics.horizontalAdvance(text[start:end]) <= width]
            continue
        for (before, _), left, right in zip(lines, plain, plain[1:], strict=False):
            left_end, right_start = left.rstrip(), right.lstrip()
            if (left_end and right_start and _HAN.match(left_end[-1]) and _HAN.match(right_start[0])
                    and not before.endswith((BREAK, "\n"))):
                found.append(f"{left_end} / {right_start} ({widget.objectName() or 'label'} at {width} px)")
    return found
