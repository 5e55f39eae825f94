"""Image preparation without Qt (Pillow): photos become small EXIF-free JPEGs, signatures clean PNGs.

Photos from phones carry an EXIF orientation and location; we apply the orientation to the pixels, then
drop all metadata (no GPS or device data leaves the laptop) and downscale so the long side is ≤ 1600 px.

Size is checked from the file's header before any pixel is decoded (issue 12): a small PNG claiming
13,370 × 13,370 pixels used to take 2.2 GB while being prepared. JPEGs — what cameras write — may be up to
:data:`MAX_JPEG_PIXELS` (a 108-megapixel phone) because they are decoded already scaled down (``draft``);
other formats, decoded at full size, up to :data:`MAX_OTHER_PIXELS`.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from inspector_app.core.errors import ValidationError

MAX_PHOTO_SIDE = 1600
JPEG_QUALITY = 85
MAX_SIGNATURE_SIDE = 1200
#: Largest photos accepted, in pixels: JPEGs are decoded scaled down (1/2…1/8), other formats in full.
MAX_JPEG_PIXELS = 120_000_000
MAX_OTHER_PIXELS = 40_000_000


@dataclass(frozen=True)
class PreparedImage:
    """Encoded image bytes ready to store, with their pixel size."""

    data: bytes
    mime: str
    width: int
    height: int


def _too_large(what: str, size: str, pixels: int, limit: int) -> ValidationError:
    return ValidationError(
        f"{what}尺寸过大（{size}约 {pixels / 1e6:.0f} 百万像素），超过可处理的上限 {limit // 1_000_000} 百万像素。"
        "请先把图片缩小（或换用手机相机拍摄的 JPEG 照片）后再添加。"
    )


def _open(source: str | Path | bytes, what: str, fit: int) -> Image.Image:
    """Decode ``source`` after checking its pixel size from the header; JPEGs are decoded scaled down to
    about ``fit`` pixels on the long side."""
    if isinstance(source, bytes):
        raw = source
    else:
        try:
            raw = Path(source).read_bytes()
        except FileNotFoundError as exc:
            raise ValidationError(f"{what}文件不存在：{source}") from exc
    try:
        with warnings.catch_warnings():  # our own limit below replaces Pillow's bomb warning
            warnings.simplefilter("ignore")  # (and a damaged header's warnings end in an error or not at all)
            image = Image.open(io.BytesIO(raw))  # reads the header only
    except Image.DecompressionBombError as exc:  # beyond even Pillow's limit; it names the pixel count
        pixels = int(match.group(1)) if (match := re.search(r"\((\d+) pixels\)", str(exc))) else 0
        raise _too_large(what, "", pixels, MAX_OTHER_PIXELS) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(f"无法读取{what}：不是有效的图片文件（支持 JPEG、PNG 等常见格式）") from exc
    width, height = image.size
    limit = MAX_JPEG_PIXELS if image.format == "JPEG" else MAX_OTHER_PIXELS
    if width * height > limit:
        raise _too_large(what, f"{width}×{height} 像素，", width * height, limit)
    try:
        if image.format == "JPEG":
            image.draft("RGB", (fit, fit))  # decode at 1/2, 1/4 or 1/8 scale, never below ``fit``
        with warnings.catch_warnings():  # (bomb: checked above; "truncated file": a damaged image decodes
            warnings.simplefilter("ignore")  # as far as it goes, as a viewer would show it)
            image.load()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(f"无法读取{what}：图片文件不完整或已损坏") from exc
    return image


def prepare_photo(source: str | Path | bytes, max_side: int = MAX_PHOTO_SIDE) -> PreparedImage:
    """JPEG bytes with EXIF orientation applied, metadata stripped and the long side ≤ ``max_side``."""
    opened = _open(source, "照片", max_side)
    with warnings.catch_warnings():  # a damaged EXIF block is dropped anyway
        warnings.simplefilter("ignore")
        image = ImageOps.exif_transpose(opened)
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
    image = _open(png, "签名图片", max_side)
    if image.mode not in ("RGBA", "LA", "L", "RGB"):
        image = image.convert("RGBA")
    if _is_blank(image):
        raise ValidationError("签名为空白，请重新签名")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return PreparedImage(out.getvalue(), "image/png", image.width, image.height)
