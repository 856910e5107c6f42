"""A bare PySide6 window, bundled like the program, to compare start-up times (bench/bundle.py).

Prints ``shown`` once its first frame is painted and the event loop is idle again, then quits.
"""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class FirstFrame(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            QTimer.singleShot(0, self.shown)
            watched.removeEventFilter(self)
        return False

    def shown(self) -> None:
        print("shown", flush=True)
        QApplication.quit()


app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")
window.setCentralWidget(QLabel("bare PySide6 window"))
watcher = FirstFrame(window)
window.installEventFilter(watcher)
window.resize(1600, 900)
window.show()
sys.exit(app.exec())
