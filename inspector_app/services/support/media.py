"""Image preparation without Qt (Pillow): photos become small EXIF-free JPEGs, signatures clean PNGs.

Photos from phones carry an EXIF orientation and location; we apply the orientation to the pixels, then
drop all metadata (no GPS or device data leaves the laptop) and downscale so the long side is ≤ 1600 px.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from inspector_app.core.errors import ValidationError

MAX_PHOTO_SIDE = 1600
JPEG_QUALITY = 85
MAX_SIGNATURE_SIDE = 1200


@dataclass(frozen=True)
class PreparedImage:
    """Encoded image bytes ready to store, with their pixel size."""

    data: bytes
    mime: str
    width: int
    height: int


def _open(source: str | Path | bytes, what: str) -> Image.Image:
    if isinstance(source, bytes):
        raw = source
    else:
        try:
            raw = Path(source).read_bytes()
        except FileNotFoundError as exc:
            raise ValidationError(f"{what}文件不存在：{source}") from exc
    try:
        image = Image.open(io.BytesIO(raw))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(f"无法读取{what}：不是有效的图片文件（支持 JPEG、PNG 等常见格式）") from exc
    return image


def prepare_photo(source: str | Path | bytes, max_side: int = MAX_PHOTO_SIDE) -> PreparedImage:
    """JPEG bytes with EXIF orientation applied, metadata stripped and the long side ≤ ``max_side``."""
    image = ImageOps.exif_transpose(_open(source, "照片"))
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh save without exif=/icc_profile= writes no metadata at all.
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return PreparedImage(out.getvalue(), "image/jpeg", image.width, image.height)


def _is_blank(image: Image.Image) -> bool:
    """No ink: fully transparent, or (without alpha) pure white."""
    if image.mode in ("RGBA", "LA"):
        return image.getchannel("A").getbbox() is None
    return ImageOps.invert(image.convert("L")).getbbox() is None


def prepare_signature(png: bytes, max_side: int = MAX_SIGNATURE_SIDE) -> PreparedImage:
    """A signature drawn on screen: re-encoded as a metadata-free PNG (transparency kept), size capped."""
    image = _open(png, "签名图片")
    if image.mode not in ("RGBA", "LA", "L", "RGB"):
        image = image.convert("RGBA")
    if _is_blank(image):
        raise ValidationError("签名为空白，请重新签名")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return PreparedImage(out.getvalue(), "image/png", image.width, image.height)
