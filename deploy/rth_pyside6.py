"""Runtime hook used instead of PyInstaller's ``pyi_rth_pyside6``: the same Qt search paths, without Qt.

PyInstaller's hook imports ``PySide6.QtCore`` at every start (~0.1 s, the ``inspector`` command line included,
which never uses Qt) only to add an embedded ``qt.conf`` for bindings that lack one. PySide6 from PyPI is
relocatable (Qt finds its prefix from ``libQt6Core``'s location), and the app needs only the plugin path.
The package tests run the desktop app from the bundle offscreen and on a real X server.
"""

import os
import sys

_qt = os.path.join(sys._MEIPASS, "PySide6", "Qt")  # type: ignore[attr-defined]  # set by the bootloader
os.environ["QT_PLUGIN_PATH"] = os.path.join(_qt, "plugins")
os.environ["QML2_IMPORT_PATH"] = os.path.join(_qt, "qml")
del _qt
