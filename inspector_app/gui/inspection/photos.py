"""Photos on an item: chosen from a file dialog or dropped on the item, prepared off the UI thread, shown as
thumbnails with a remove button.

Preparation (EXIF orientation applied, long side ≤ 1600 px, metadata dropped) is
:func:`inspector_app.services.support.media.prepare_photo`; it runs on a worker thread (:mod:`gui.workers`) and the
prepared JPEG bytes are then stored through the service on the UI thread (the database stays single-threaded).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from inspector_app.gui.workers import run_task
from inspector_app.services.support.media import PreparedImage, prepare_photo

THUMB = 72
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".heic"}
FILE_FILTER = "图片 (*.jpg *.jpeg *.png *.bmp *.gif *.webp *.tif *.tiff);;所有文件 (*)"


def image_paths(mime: QMimeData) -> list[Path]:
    """Local image files carried by a drag (other URLs and non-image files are ignored)."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in IMAGE_SUFFIXES]


def choose_photos(parent: QWidget) -> list[Path]:
    """Ask for photo files (a modal file dialog)."""
    names, _ = QFileDialog.getOpenFileNames(parent, "选择现场照片", str(Path.home()), FILE_FILTER)
    return [Path(n) for n in names]


def thumbnail_image(data: bytes, side: int = THUMB) -> QImage:
    """A small image for the strip; QImage (not QPixmap) so it can be made on a worker thread."""
    image = QImage.fromData(data)
    if image.isNull():
        return image
    return image.scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


class Thumbnail(QWidget):
    """One photo: the image and a × button. Signals: ``remove_requested(sha256)``."""

    remove_requested = Signal(str)

    def __init__(self, sha256: str, removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sha256 = sha256
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.image = QLabel("…", self)
        self.image.setFixedSize(QSize(THUMB, THUMB))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setProperty("role", "thumb")
        self.image.setToolTip(f"照片 {sha256[:12]}…")
        layout.addWidget(self.image)
        if removable:
            remove = QToolButton(self)
            remove.setText("删除")
            remove.setToolTip("删除这张照片")
            remove.setAccessibleName(f"删除照片 {sha256[:8]}")
            remove.clicked.connect(lambda: self.remove_requested.emit(self.sha256))
            layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignHCenter)

    def show_image(self, image: QImage) -> None:
        if image.isNull():
            self.image.setText("无法显示")
        else:
            self.image.setPixmap(QPixmap.fromImage(image))


class PhotoStrip(QWidget):
    """Thumbnails of an item's photos and an 添加照片 button.

    Signals: ``add_requested()`` (the button), ``remove_requested(sha256)``.
    ``loader(sha256) -> bytes`` reads a stored photo; thumbnails are decoded off the UI thread and cached.
    """

    add_requested = Signal()
    remove_requested = Signal(str)

    #: Thumbnails by photo hash, shared by all strips (photos never change under their hash).
    _cache: dict[str, QImage] = {}

    def __init__(self, loader: Callable[[str], bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._thumbs: dict[str, Thumbnail] = {}
        self._editable = True
        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.add_button = QToolButton(self)
        self.add_button.setText("添加照片…")
        self.add_button.setToolTip("从文件添加现场照片；也可以把照片文件拖到本项上")
        self.add_button.clicked.connect(self.add_requested)
        layout.addWidget(self.add_button)
        self.busy = QLabel("正在处理照片…", self)
        self.busy.setProperty("role", "hint")
        self.busy.hide()
        layout.addWidget(self.busy)
        layout.addStretch(1)
        self._pending = 0

    def shas(self) -> list[str]:
        return list(self._thumbs)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.add_button.setVisible(editable)

    def set_busy(self, delta: int) -> None:
        self._pending = max(0, self._pending + delta)
        self.busy.setVisible(self._pending > 0)

    def set_photos(self, shas: Iterable[str]) -> None:
        wanted = list(shas)
        for sha in [s for s in self._thumbs if s not in wanted]:
            self._thumbs.pop(sha).deleteLater()
        layout = self._layout
        for position, sha in enumerate(wanted):
            if sha not in self._thumbs:
                thumb = Thumbnail(sha, self._editable, self)
                thumb.remove_requested.connect(self.remove_requested)
                self._thumbs[sha] = thumb
                self._load(thumb)
            layout.removeWidget(self._thumbs[sha])
            layout.insertWidget(position, self._thumbs[sha])

    def _load(self, thumb: Thumbnail) -> None:
        cached = self._cache.get(thumb.sha256)
        if cached is not None:
            thumb.show_image(cached)
            return
        sha = thumb.sha256

        def done(image: QImage) -> None:
            self._cache[sha] = image
            if self._thumbs.get(sha) is thumb:
                thumb.show_image(image)

        run_task(lambda: thumbnail_image(self._loader(sha)), on_finished=done, on_failed=thumb.image.setText)


class PhotoImporter:
    """Prepares photo files on worker threads and hands the JPEG bytes to ``store(code, prepared)``.

    ``on_error(message)`` receives Chinese messages; ``on_busy(code, delta)`` tracks work in flight.
    """

    def __init__(
        self,
        store: Callable[[str, PreparedImage], object],
        on_error: Callable[[str], None],
        on_busy: Callable[[str, int], None] | None = None,
    ) -> None:
        self._store = store
        self._on_error = on_error
        self._on_busy = on_busy or (lambda _code, _delta: None)

    def import_files(self, code: str, paths: Iterable[Path | str]) -> None:
        for path in paths:
            self._on_busy(code, +1)

            def finished(prepared: PreparedImage, code: str = code) -> None:
                self._on_busy(code, -1)
                self._store(code, prepared)

            def failed(message: str, code: str = code) -> None:
                self._on_busy(code, -1)
                self._on_error(message)

            run_task(prepare_photo, Path(path), on_finished=finished, on_failed=failed)
