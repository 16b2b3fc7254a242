"""Reading a catalogue file's records: JSON (by a JSONPath), CSV and XLSX (one record per row, keyed by the header).

The format is told by the content: JSON parses as a JSON array or object, XLSX is a ZIP package with a workbook
part, and CSV is delimited text. Nothing here knows any catalogue; the mapping says where the records are.
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from currigraph.errors import InputError

JSON, CSV, XLSX = "json", "csv", "xlsx"
FORMATS = (JSON, CSV, XLSX)
# Catalogues are larger than documents (a student-information system exports every course of a university).
MAX_CATALOGUE_BYTES = 64 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_CSV_DELIMITERS = ",;\t|"


@dataclass
class Record:
    """One record of a catalogue: its value (a JSON value, or a row as {column: cell}) and, for rows, its line."""

    value: Any
    line: int | None = None


@dataclass
class Rows:
    """The rows of a table (CSV or a worksheet): the header's column names and each row as a record."""

    header: list[str]
    records: list[Record] = field(default_factory=list)


def sniff_format(data: bytes, name: str = "") -> str | None:
    """The catalogue format of a file's bytes (json, xlsx), csv for a file whose name says so, or None.

    JSON and XLSX are told by their content alone. Delimited text cannot be told from prose by its bytes, so a
    file is taken for CSV only when its name ends in .csv or .tsv (a mapping may still claim any text by its header).
    A JSON-LD document (an object with "@context") is RDF, not a catalogue. A .json file that does not parse is an
    InputError with the line of the syntax error.
    """
    if data[:4] == _ZIP_MAGIC:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                return XLSX if "xl/workbook.xml" in package.namelist() else None
        except zipfile.BadZipFile:
            return None
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"[", b"{"):
        try:
            parsed = parse_json(data, name)
        except InputError:
            if name.lower().endswith(".json"):  # meant as JSON: its syntax error helps more than "unknown kind"
                raise
            return None
        if isinstance(parsed, dict) and "@context" in parsed:
            return None
        return JSON
    if name.lower().endswith((".csv", ".tsv")):
        return CSV
    return None


def parse_json(data: bytes, name: str) -> Any:
    """A JSON document from bytes (UTF-8, with or without a byte-order mark); InputError with the line of a syntax error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"not valid UTF-8 JSON (byte {err.start})", name, data[: err.start].count(b"\n") + 1) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON: {err.msg} (column {err.colno})", name, err.lineno) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to read", name) from None


def read_csv(data: bytes, name: str, delimiter: str | None, header_row: int, encoding: str) -> Rows:
    """The rows of delimited text; the delimiter is sniffed from the first lines when the mapping leaves it open."""
    try:
        text = data.decode("utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding)
    except (UnicodeDecodeError, LookupError) as err:
        raise InputError(f"cannot read the table as {encoding}: {err}", name) from None
    lines = text.splitlines(keepends=True)
    if delimiter is None:
        sample = "".join(lines[header_row - 1 : header_row + 19])
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=_CSV_DELIMITERS).delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO("".join(lines[header_row - 1 :])), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(f"no header row at line {header_row}", name, header_row)
        rows = Rows([cell.strip() for cell in header])
        for row in reader:
            line = header_row - 1 + reader.line_num
            cells = {column: cell for column, cell in zip(rows.header, row, strict=False) if column and cell.strip()}
            if cells:
                rows.records.append(Record(cells, line))
    except csv.Error as err:
        raise InputError(f"not readable as delimited text: {err}", name, header_row - 1 + reader.line_num) from None
    return rows


def read_xlsx(data: bytes, name: str, sheet: str | None, header_row: int) -> Rows:
    """The rows of a worksheet (the named one, or the first), with the cells' values (formulas as last computed)."""
    # openpyxl parses the package's XML with defusedxml when it is installed (it is a dependency), so entity
    # declarations in a crafted workbook are refused rather than expanded.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError, ValueError and defusedxml errors alike
        raise InputError(f"not a readable XLSX workbook: {_root_cause(err)}", name) from None
    rows: Rows | None = None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise InputError(f"the workbook has no sheet '{sheet}' (it has: {', '.join(workbook.sheetnames)})", name)
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        # Read-only worksheets are parsed while iterating, so a broken or hostile sheet fails here, not on opening.
        for number, row in enumerate(worksheet.iter_rows(min_row=header_row, values_only=True), start=header_row):
            if rows is None:
                rows = Rows([_cell_text(cell) for cell in row])
                continue
            cells = {column: value for column, value in zip(rows.header, map(_cell_value, row), strict=False)
                     if column and value is not None}
            if cells:
                rows.records.append(Record(cells, number))
    except InputError:
        raise
    except Exception as err:
        raise InputError(f"not a readable XLSX worksheet: {_root_cause(err)}", name) from None
    finally:
        workbook.close()
    if rows is None:
        raise InputError(f"no header row at row {header_row}", name, header_row)
    return rows


def _root_cause(err: BaseException) -> str:
    """The first cause of an error (openpyxl wraps the XML parser's), named with its type."""
    while err.__cause__ is not None:
        err = err.__cause__
    return f"{type(err).__name__}: {err}".splitlines()[0]


def _cell_text(cell: object) -> str:
    value = _cell_value(cell)
    return "" if value is None else str(value).strip()


def _cell_value(cell: object) -> Any:
    """A cell as a catalogue value: text (blank is none), numbers and booleans as they are, dates in ISO 8601."""
    if cell is None:
        return None
    if isinstance(cell, str):
        return cell if cell.strip() else None
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat()
    if isinstance(cell, date | time):
        return cell.isoformat()
    if isinstance(cell, bool | int | float):
        return cell
    return str(cell)


def read_bytes(path: Path) -> bytes:
    """A catalogue file's bytes, refusing missing, empty and oversized files."""
    if not path.is_file():
        raise InputError("file not found" if not path.exists() else "is a directory, not a catalogue", str(path))
    if path.stat().st_size > MAX_CATALOGUE_BYTES:
        raise InputError(f"larger than {MAX_CATALOGUE_BYTES // (1024 * 1024)} MB; not read as a catalogue", str(path))
    return path.read_bytes()
