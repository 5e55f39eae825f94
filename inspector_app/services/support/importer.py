"""Reading registry spreadsheets (CSV in UTF-8 / UTF-8 with BOM / GBK / GB18030, or XLSX) — pure parsing.

:func:`open_registry_file` maps Chinese header aliases to fields, refuses a file missing a required column
(naming it and listing the headers found), and streams :class:`ParsedRow` items; each row is validated by
:mod:`inspector_app.services.support.registry_validation`. Row numbers are the ones Excel shows (the header row is row 1).
Nothing here touches the database.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from defusedxml import DefusedXmlException

from inspector_app.core.errors import ValidationError
from inspector_app.services.support.registry_validation import FIELD_TITLES, ParsedRow, parse_row

#: Normalised header text → field. Headers are compared after NFKC, removing spaces and ``*`` markers.
HEADER_ALIASES: dict[str, str] = {
    **dict.fromkeys(("主体名称", "企业名称", "名称", "单位名称", "经营者名称"), "name"),
    **dict.fromkeys(("统一社会信用代码", "信用代码", "社会信用代码"), "uscc"),
    **dict.fromkeys(("主体类型", "业态", "类型", "主体业态"), "kind"),
    **dict.fromkeys(("经营地址", "住所", "地址", "经营场所"), "address"),
    **dict.fromkeys(("负责人", "法定代表人", "经营者", "法定代表人(负责人)"), "responsible"),
    **dict.fromkeys(("联系电话", "电话", "手机", "联系方式"), "phone"),
    **dict.fromkeys(("许可证号", "许可证编号", "登记证号"), "licence_no"),
    **dict.fromkeys(("辖区", "所属区域", "区域"), "area"),
    **dict.fromkeys(("风险等级",), "risk_grade"),
    **dict.fromkeys(("信用分", "信用评分"), "credit_score"),
    **dict.fromkeys(("发证日期", "许可日期"), "licensed_on"),
}
REQUIRED_FIELDS = ("name", "uscc", "kind")
_HEADER_SEARCH_ROWS = 10  # title rows above the header are skipped (e.g. "荆门市市场主体名录")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ValueError,
    ElementTree.ParseError,
    DefusedXmlException,
)


def normalize_header(text: str) -> str:
    """Header text as compared with the aliases: NFKC (full-width → half-width), no spaces, no ``*``."""
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("*", "")


@dataclass
class RegistryFile:
    """An opened file: ``columns`` maps cell index → field; ``rows()`` streams validated rows once."""

    path: Path
    columns: dict[int, str]
    header_row: int
    total_rows: int
    _records: Iterator[tuple[int, list[Any]]] = field(repr=False)

    @property
    def fields(self) -> set[str]:
        return set(self.columns.values())

    def rows(self) -> Iterator[ParsedRow]:
        """Every non-blank data row, validated, with its Excel row number."""
        for number, cells in self._records:
            values = {name: cells[i] for i, name in self.columns.items() if i < len(cells)}
            if all(_blank(v) for v in values.values()):
                continue
            yield parse_row(number, values)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _map_headers(cells: list[Any]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, cell in enumerate(cells):
        name = HEADER_ALIASES.get(normalize_header(str(cell))) if cell is not None else None
        if name and name not in columns.values():
            columns[index] = name
    return columns


def _find_header(
    records: Iterator[tuple[int, list[Any]]],
) -> tuple[int, list[Any], dict[int, str], Iterator[tuple[int, list[Any]]]]:
    """The header row: the first of the leading rows with two or more known headers, else row 1.

    Returns (row number, its cells, column map, the records after it).
    """
    seen: list[tuple[int, list[Any]]] = []
    for number, cells in records:
        seen.append((number, cells))
        if len(_map_headers(cells)) >= 2 or len(seen) >= _HEADER_SEARCH_ROWS:
            break
    if not seen:
        return 1, [], {}, iter(())
    pick = next((i for i, (_, cells) in enumerate(seen) if len(_map_headers(cells)) >= 2), 0)
    number, cells = seen[pick]
    return number, cells, _map_headers(cells), itertools.chain(seen[pick + 1 :], records)


def _check_required(columns: dict[int, str], header_cells: list[Any], path: Path, row: int) -> None:
    missing = [FIELD_TITLES[f] for f in REQUIRED_FIELDS if f not in columns.values()]
    if missing:
        found = "、".join(str(c).strip() for c in header_cells if not _blank(c)) or "（空）"
        raise ValidationError(
            f"{path.name}：缺少必需列「{'」「'.join(missing)}」，整个文件未导入。"
            f"第{row}行表头为：{found}。请补充该列（或使用别名，如 主体名称/企业名称、"
            "统一社会信用代码/信用代码、主体类型/业态）后重新导入。"
        )


def _detect_encoding(path: Path) -> tuple[str, int]:
    """(encoding, number of lines): UTF-16 by BOM, else strict UTF-8 (BOM optional), else GB18030."""
    with path.open("rb") as f:
        head = f.read(2)
    if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16", 0
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        lines = 0
        try:
            with path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    raise ValidationError(
        f"{path.name}：无法识别文件编码（不是 UTF-8 也不是 GBK/GB18030）。"
        "请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后重新导入。"
    )


def _csv_records(text: io.TextIOBase) -> Iterator[tuple[int, list[Any]]]:
    first = text.readline()
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(_chain(first, text), delimiter=delimiter)
    for number, cells in enumerate(reader, start=1):
        yield number, list(cells)


def _chain(first: str, rest: io.TextIOBase) -> Iterator[str]:
    yield first
    yield from rest


def _bad_xlsx(path: Path, exc: BaseException) -> ValidationError:
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, DefusedXmlException):
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        return ValidationError(
            f"{path.name}：文件含有不安全的 XML 内容（{type(cause).__name__}），拒绝读取。"
        )
    return ValidationError(f"{path.name}：不是有效的 .xlsx 文件（{exc}）。请用 Excel 另存为 .xlsx 后重试。")


def _xlsx_records(path: Path) -> tuple[Iterator[tuple[int, list[Any]]], int, Any]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # without defusedxml openpyxl would parse XML bombs
        raise ValidationError("缺少 defusedxml 组件，出于安全原因不读取 .xlsx 文件。请重新安装本程序。")
    # A file object, not the path: openpyxl refuses by file name, but content decides (a renamed .xlsx).
    closer = ExitStack()
    handle = closer.enter_context(path.open("rb"))
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (*_XLSX_ERRORS, InvalidFileException) as exc:
        closer.close()
        raise _bad_xlsx(path, exc) from exc
    closer.callback(book.close)
    sheet = book.worksheets[0]
    total = sheet.max_row or 0

    def records() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(row)
        except _XLSX_ERRORS as exc:
            raise _bad_xlsx(path, exc) from exc

    return records(), total, closer


@contextmanager
def open_registry_file(path: str | Path) -> Iterator[RegistryFile]:
    """Open a CSV/XLSX registry file; raises :class:`ValidationError` (Chinese) for a file refused whole."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"找不到文件 {path}。请检查路径。")
    if path.suffix.lower() == ".xls":
        raise ValidationError(
            f"{path.name}：不支持旧版 .xls 格式。请在 Excel 中另存为 .xlsx 或 CSV 后重新导入。"
        )
    with path.open("rb") as f:
        is_zip = f.read(4) == b"PK\x03\x04"
    closer: Any = None
    if is_zip or path.suffix.lower() in _XLSX_SUFFIXES:
        records, total, closer = _xlsx_records(path)
    else:
        encoding, total = _detect_encoding(path)
        closer = path.open(encoding=encoding, newline="")
        records = _csv_records(closer)
    try:
        header_row, header_cells, columns, rest = _find_header(records)
        _check_required(columns, header_cells, path, header_row)
        yield RegistryFile(path, columns, header_row, max(total - header_row, 0), rest)
    finally:
        closer.close()
