"""Fuzzing everything that reads files users bring: checklist YAML, registry CSV and XLSX, photos.

Whatever the bytes, the result is a list of problems (forms), a report or a Chinese InspectorError (registry)
— and a refused registry file changes nothing — or a prepared photo within the size limits or a Chinese
ValidationError (photos); never another exception. The default run uses few examples; the soak run
(``-m slow``) many. Each case is counted in the harness figures (``fuzz cases: …``); an unexpected
exception is counted as a crash (``fuzz crashes``) and fails the test.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from inspector_app.core.errors import InspectorError, ValidationError
from inspector_app.forms.library import validate_paths
from inspector_app.services.support.importer import HEADER_ALIASES
from inspector_app.services.support.media import MAX_PHOTO_SIDE, prepare_photo
from tests.harness.figures import record

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12))
keys = st.sampled_from(
    ["id", "version", "title", "family", "sections", "items", "code", "text", "basis", "type", "show_if",
     "item", "equals", "choices", "value", "min", "max", "include", "applies_to", "key", "colour"]
)  # fmt: skip
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=40,
)
HEADER = "统一社会信用代码,主体名称,主体类型,经营地址,联系电话,风险等级\n"
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@contextmanager
def fuzz_case(target: str) -> Iterator[None]:
    record(f"fuzz cases: {target}")
    try:
        yield
    except Exception:  # an assertion failed or an unexpected exception escaped: both are crashes here
        record("fuzz crashes")
        raise


# -- checks -----------------------------------------------------------------------------------------------


def _check_form_document(tmp_path, data):
    with fuzz_case("form documents"):
        path = tmp_path / "fuzz.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        problems = validate_paths([path])
        assert all(str(p).startswith("fuzz.yaml") for p in problems)


def _check_form_bytes(tmp_path, raw):
    with fuzz_case("form bytes"):
        path = tmp_path / "raw.yaml"
        path.write_bytes(raw)
        for problem in validate_paths([path]):
            assert str(problem).startswith("raw.yaml")


def _check_registry(services, tmp_path, body, name="fuzz.csv", target="registry csv"):
    with fuzz_case(target):
        path = tmp_path / name
        path.write_bytes(body)
        before = services.registry.count()
        try:
            services.registry.import_file(path)
        except InspectorError as exc:
            assert str(exc)
            assert services.registry.count() == before


def _check_photo(raw: bytes):
    with fuzz_case("photos"):
        try:
            prepared = prepare_photo(raw)
        except ValidationError as exc:
            assert str(exc)
            return
        assert max(prepared.width, prepared.height) <= MAX_PHOTO_SIDE
        assert Image.open(io.BytesIO(prepared.data)).format == "JPEG"


# -- generated inputs ------------------------------------------------------------------------------------

header_names = st.sampled_from([*HEADER_ALIASES, "备注", "", "序号"])
xlsx_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
xlsx_cells = st.one_of(
    st.none(), xlsx_text, st.integers(-(10**12), 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["=1+1", '="店"&A2', "=A1", "=SUM(A1:A3)", "=#REF!"]),
)  # fmt: skip


@st.composite
def workbooks(draw) -> bytes:
    """An .xlsx of random headers and cells (formulas saved without values), then maybe damaged: a wrong
    <dimension>, a member dropped, or bytes of the sheet XML flipped."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(draw(st.lists(header_names, min_size=1, max_size=6)))
    for row in draw(st.lists(st.lists(xlsx_cells, max_size=6), max_size=8)):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    damage = draw(st.sampled_from(["none", "dimension", "drop", "flip"]))
    if damage == "none":
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    names = source.namelist()
    dropped = draw(st.sampled_from(names)) if damage == "drop" else None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            body = source.read(name)
            if name == dropped:
                continue
            if name.endswith("sheet1.xml") and damage == "dimension":
                ref = draw(st.sampled_from([b"A1", b"A1:B2", b"A1:Z99999", b"", b"ZZZ0"]))
                body = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref + b'"', body)
            if name.endswith("sheet1.xml") and damage == "flip" and body:
                at = draw(st.integers(0, len(body) - 1))
                body = body[:at] + bytes([body[at] ^ draw(st.integers(1, 255))]) + body[at + 1 :]
            target.writestr(name, body)
    return out.getvalue()


@st.composite
def images(draw) -> bytes:
    """A real image in a random mode, size and format, maybe cut short or with bytes flipped, or a PNG
    header claiming a huge size."""
    if draw(st.booleans()) and draw(st.booleans()):
        width, height = draw(st.integers(1, 60_000)), draw(st.integers(1, 60_000))
        ihdr = struct.pack(">IIBBBBB", width, height, 8, draw(st.sampled_from([0, 2, 6])), 0, 0, 0)

        def chunk(kind: bytes, body: bytes) -> bytes:
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 32))
    mode = draw(st.sampled_from(["RGB", "RGBA", "L", "LA", "P", "1", "CMYK", "I"]))
    fmt = draw(st.sampled_from(["JPEG", "PNG", "GIF", "BMP", "WEBP", "TIFF"]))
    size = (draw(st.integers(1, 400)), draw(st.integers(1, 400)))
    image = Image.new(mode, size, draw(st.integers(0, 255)) if mode in ("L", "P", "1", "I") else None)
    out = io.BytesIO()
    try:
        image.save(out, format=fmt)
    except (OSError, ValueError, KeyError):  # a mode the format cannot hold: write PNG instead
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG")
    data = out.getvalue()
    cut = draw(st.sampled_from(["none", "truncate", "flip"]))
    if cut == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif cut == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    return data


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SOAK = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SOAK_FILES = settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# -- the default run -------------------------------------------------------------------------------------


@FAST
@given(data=documents)
def test_any_yaml_document_gives_problems_not_exceptions(tmp_path, data):
    _check_form_document(tmp_path, data)


@FAST
@given(raw=st.binary(max_size=400))
def test_any_bytes_as_a_form_file_give_problems_not_exceptions(tmp_path, raw):
    _check_form_bytes(tmp_path, raw)


@FAST
@given(
    rows=st.lists(st.lists(cells, min_size=0, max_size=7), max_size=6),
    encoding=st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]),
)
def test_any_registry_csv_gives_a_report_or_a_clear_refusal(services, tmp_path, rows, encoding):
    text = HEADER + "\n".join(",".join(row) for row in rows)
    _check_registry(services, tmp_path, text.encode(encoding, errors="replace"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=workbooks())
def test_any_workbook_gives_a_report_or_a_clear_refusal(services, tmp_path, body):
    _check_registry(services, tmp_path, body, "fuzz.xlsx", "registry xlsx")


@FAST
@given(raw=images())
def test_any_image_gives_a_prepared_photo_or_a_clear_refusal(raw):
    _check_photo(raw)


# -- the soak run ----------------------------------------------------------------------------------------


@pytest.mark.slow
@SOAK
@given(data=documents)
def test_soak_yaml_documents(tmp_path, data):
    _check_form_document(tmp_path, data)


@pytest.mark.slow
@SOAK
@given(raw=st.binary(max_size=2000))
def test_soak_form_bytes(tmp_path, raw):
    _check_form_bytes(tmp_path, raw)


@pytest.mark.slow
@SOAK
@given(body=st.binary(max_size=2000))
def test_soak_registry_bytes(services, tmp_path, body):
    _check_registry(services, tmp_path, body)


@pytest.mark.slow
@SOAK_FILES
@given(body=workbooks())
def test_soak_workbooks(services, tmp_path, body):
    _check_registry(services, tmp_path, body, "fuzz.xlsx", "registry xlsx")


@pytest.mark.slow
@SOAK
@given(raw=images())
def test_soak_images(raw):
    _check_photo(raw)
