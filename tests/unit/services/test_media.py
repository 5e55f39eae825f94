"""Photo and signature preparation: orientation applied, metadata stripped, size capped."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from inspector_app.core.errors import ValidationError
from inspector_app.services.support.media import prepare_photo, prepare_signature
from tests.builders import make_jpeg, make_signature_png


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_large_photo_is_downscaled_so_the_long_side_is_1600():
    prepared = prepare_photo(make_jpeg(4000, 3000))
    assert (prepared.width, prepared.height) == (1600, 1200)
    assert opened(prepared.data).size == (1600, 1200) and prepared.mime == "image/jpeg"


def test_a_small_photo_keeps_its_size():
    assert (prepare_photo(make_jpeg(640, 480)).width, prepare_photo(make_jpeg(640, 480)).height) == (640, 480)


def test_exif_orientation_is_applied_and_all_exif_is_dropped():
    source = make_jpeg(64, 48, exif_orientation=6)  # "rotate 90° clockwise to display"
    assert opened(source).getexif()[0x010F] == "TestCam"
    prepared = prepare_photo(source)
    assert (prepared.width, prepared.height) == (48, 64)
    assert dict(opened(prepared.data).getexif()) == {}


def test_a_photo_can_be_read_from_a_path(tmp_path):
    path = tmp_path / "现场.jpg"
    path.write_bytes(make_jpeg(100, 50))
    assert prepare_photo(path).width == 100


def test_a_transparent_png_photo_becomes_a_jpeg_on_white():
    out = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 0, 0, 0)).save(out, format="PNG")
    prepared = prepare_photo(out.getvalue())
    assert opened(prepared.data).getpixel((5, 5)) == (255, 255, 255)


def test_unreadable_or_missing_photos_raise_in_chinese(tmp_path):
    with pytest.raises(ValidationError, match="不是有效的图片"):
        prepare_photo(b"not an image")
    with pytest.raises(ValidationError, match="不存在"):
        prepare_photo(tmp_path / "missing.jpg")


def test_signatures_stay_png_with_transparency():
    prepared = prepare_signature(make_signature_png())
    image = opened(prepared.data)
    assert (
        prepared.mime == "image/png"
        and image.mode == "RGBA"
        and (prepared.width, prepared.height) == (300, 120)
    )


def test_a_blank_signature_is_refused():
    out = io.BytesIO()
    Image.new("RGBA", (300, 120), (0, 0, 0, 0)).save(out, format="PNG")
    with pytest.raises(ValidationError, match="空白"):
        prepare_signature(out.getvalue())
    out = io.BytesIO()
    Image.new("RGB", (300, 120), "white").save(out, format="PNG")
    with pytest.raises(ValidationError, match="空白"):
        prepare_signature(out.getvalue())


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` (grey, 8 bit) with one tiny data chunk: cheap to make,
    and any attempt to decode it fully would have to allocate the whole image first."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [13_370, 20_000])
def test_an_oversized_photo_is_refused_by_its_header_before_decoding(monkeypatch, side):
    from PIL import ImageFile

    from inspector_app.services.support import media

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(ValidationError) as caught:
        media.prepare_photo(_png_header_only(side, side))
    message = str(caught.value)
    assert "过大" in message and f"约 {side * side / 1e6:.0f} 百万像素" in message


def test_a_large_phone_photo_is_still_accepted():
    from inspector_app.services.support import media

    prepared = media.prepare_photo(make_jpeg(width=8000, height=6000))  # 48 MP, a current phone camera
    assert max(prepared.width, prepared.height) == media.MAX_PHOTO_SIDE
