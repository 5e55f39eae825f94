"""Regression: PySide6 6.12.0 on Python 3.11 aborted (none_dealloc) when a model's data() returned None many
times. Our models return None for every role they do not answer, so this must keep working; we pin 6.11.

The stress runs in a subprocess so that an abort shows as a failed test instead of killing pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.gui

STRESS = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from inspector_app.gui.models.base import Column, IdTableModel

    class NoneModel(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else 500

        def columnCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else 8

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            return None

    app = QApplication([])
    calls = 0
    for model in (NoneModel(), IdTableModel([Column("名称", lambda r: None)], lambda i: None)):
        if isinstance(model, IdTableModel):
            model.set_ids([str(n) for n in range(500)])
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(model)
        view = QTableView()
        view.setModel(proxy)
        view.resize(800, 600)
        view.show()
        app.processEvents()
        for _ in range(5):
            proxy.sort(0, Qt.SortOrder.AscendingOrder)
            proxy.sort(0, Qt.SortOrder.DescendingOrder)
            view.viewport().repaint()
        for n in range(120_000):
            index = model.index(n % 500, n % model.columnCount())
            assert index.data(n % 40) is None or isinstance(model, IdTableModel)
            calls += 1
    print("ok", calls)
    """
)


def test_models_returning_none_many_times_do_not_abort_the_interpreter():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", STRESS], capture_output=True, text=True, env=env, timeout=240
    )
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stderr[-2000:]}"
    assert result.stdout.split() == ["ok", "240000"]
