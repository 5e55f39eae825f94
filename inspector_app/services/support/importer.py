"""Reading registry spreadsheets (CSV in UTF-8 / UTF-8 with BOM / GBK / GB18030, or XLSX) — pure parsing.

:func:`open_registry_file` maps Chinese header aliases to fields, refuses a file missing a required column
(naming it and listing the headers found), and streams :class:`ParsedRow` items; each row is validated by
:mod:`inspector_app.services.support.registry_validation`. Row numbers are the ones Excel shows (the header row is row 1).
Nothing here touches the database.

A file is read in full or refused whole (issue 12): XLSX rows are streamed from the sheet's XML itself, not
up to the row count its ``<dimension>`` tag claims (some exporters understate it); a formula cell stored
without its computed value, a CSV field over the csv module's size limit, a workbook with no worksheet
(missing part, chart sheets only) and anything openpyxl cannot parse raise :class:`ValidationError`
naming the file (and row).
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
            _check_cached(self.path, number, values)
            yield parse_row(number, values)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    return "" if value is None or isinstance(value, _Uncached) else str(value).strip()


def _map_headers(cells: list[Any]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, cell in enumerate(cells):
        text = None if cell is None or isinstance(cell, _Uncached) else str(cell)
        name = HEADER_ALIASES.get(normalize_header(text)) if text is not None else None
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
        found = "、".join(_shown(c) for c in header_cells if _shown(c)) or "（空）"
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


def _csv_records(path: Path, text: io.TextIOBase) -> Iterator[tuple[int, list[Any]]]:
    first = text.readline()
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(_chain(first, text), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, list(cells)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            problem = (
                f"有一个单元格超过 {csv.field_size_limit()} 个字符"
                "（常见原因：引号不配对，把后面许多行并进了一个单元格）"
            )
        else:
            problem = f"无法按 CSV 格式读取（{exc}）"
        raise ValidationError(
            f"{path.name}：第{number + 1}行{problem}，整个文件未导入。请在 Excel 中检查该行后重新导入。"
        ) from exc


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
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # without defusedxml openpyxl would parse XML bombs
        raise ValidationError("缺少 defusedxml 组件，出于安全原因不读取 .xlsx 文件。请重新安装本程序。")
    # A file object, not the path: openpyxl refuses by file name, but content decides (a renamed .xlsx).
    closer = ExitStack()
    handle = closer.enter_context(path.open("rb"))
    try:
        # Untrusted bytes: openpyxl raises many kinds of error on a damaged package (KeyError,
        # AttributeError on a chart-only book, ...); every one means "not a readable workbook".
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:
        closer.close()
        if _has_no_worksheet(path):
            raise _no_worksheet(path) from exc
        raise _bad_xlsx(path, exc) from exc
    closer.callback(book.close)
    if not book.worksheets:
        closer.close()
        raise _no_worksheet(path)
    sheet = book.worksheets[0]
    total = sheet.max_row or 0  # the <dimension> tag: only for the progress bar, never to stop reading

    def records() -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from xlsx_rows(book, sheet, path)
        except ValidationError:
            raise
        except Exception as exc:
            raise _bad_xlsx(path, exc) from exc

    return records(), total, closer


def _no_worksheet(path: Path) -> ValidationError:
    return ValidationError(
        f"{path.name}：工作簿中没有可读取的工作表（只有图表页，或工作表数据缺失），整个文件未导入。"
        "请在 Excel 中打开，确认名录在第一个工作表中，另存为 .xlsx 后重新导入。"
    )


def _has_no_worksheet(path: Path) -> bool:
    """A readable zip package without any worksheet part (a chart-only book, a damaged export)."""
    try:
        with zipfile.ZipFile(path) as package:
            return not any(n.startswith("xl/worksheets/") for n in package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


class _Uncached:
    """A formula cell saved without its computed value (``data_only`` would read it as empty)."""

    def __init__(self, formula: str) -> None:
        self.formula = formula


def xlsx_rows(book: Any, sheet: Any, path: Path) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cell values) of every row in the sheet's XML, however its ``<dimension>`` reads.

    openpyxl's read-only rows stop at the dimension's last row, and with ``data_only`` a formula saved
    without its value reads as an empty cell; its sheet parser is used directly to avoid both.
    """
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            formula = element.find(FORMULA_TAG)
            if cell["value"] is None and formula is not None:
                cell["value"] = _Uncached(formula.text or "")
            return cell

    with sheet._get_source() as source:
        parser = Parser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        expected = 1
        for number, cells in parser.parse():
            for blank in range(expected, number):  # rows missing from the XML are empty rows
                yield blank, []
            values: list[Any] = [None] * max((c["column"] for c in cells), default=0)
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            yield number, values
            expected = number + 1


def _check_cached(path: Path, number: int, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if isinstance(value, _Uncached):
            raise ValidationError(
                f"{path.name}：第{number}行「{FIELD_TITLES.get(name, name)}」是公式（={value.formula}），"
                "但文件中没有保存它的计算结果，整个文件未导入。请用 Excel 打开该文件并保存"
                "（或把该列复制后“选择性粘贴→数值”）后重新导入。"
            )


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
        records = _csv_records(path, closer)
    try:
        header_row, header_cells, columns, rest = _find_header(records)
        _check_required(columns, header_cells, path, header_row)
        yield RegistryFile(path, columns, header_row, max(total - header_row, 0), rest)
    finally:
        closer.close()
