"""Read rows from Parquet, JSONL (plain or ``.gz``), JSON arrays and local Hugging Face dataset folders.

Every physical row comes out, readable or not: a line that is not valid UTF-8 or JSON, nested too deeply
to parse, holding an integer too long to convert, or longer than ``max_line_bytes`` is yielded with its
error and a reject reason, so the pipeline can reject it instead of dropping it or stopping. Lines are read
with a bound: the rest of an over-long line is skipped in chunks, never held in memory.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

_DATA_SUFFIXES = (".parquet", ".jsonl", ".jsonl.gz", ".json", ".json.gz", ".ndjson")
#: the longest JSON line read as a row (bytes); longer lines are rejected as ``too_large`` unread
MAX_LINE_BYTES = 32 * 2**20
_CHUNK = 2**20
#: a JSON array file (parsed whole) may be this many times ``max_line_bytes`` long
JSON_ARRAY_LINES = 8


@dataclass(frozen=True, slots=True)
class RawRow:
    """One input row: ``data`` is the decoded object, or ``None`` with ``error`` saying why not.
    ``raw`` keeps the undecodable text so a reject can show it."""

    source: str
    index: int
    data: dict[str, Any] | None
    error: str | None = None
    raw: str | None = None
    #: the reject reason when ``data`` is None
    reason: str = "unreadable_row"


def detect_format(path: str | Path) -> str:
    """``parquet``, ``jsonl``, ``json`` (one array) or ``hf`` (a dataset folder), from the name."""
    p = Path(path)
    if p.is_dir():
        return "hf"
    name = p.name.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        return "jsonl"
    if name.endswith((".json", ".json.gz")):
        return "json"
    raise ValueError(
        f"{path}: cannot tell the format from the name; use .parquet, .jsonl[.gz], .json or a folder"
    )


def _open_text(path: Path) -> Any:
    return gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")


#: the byte order mark some editors write at the start of a UTF-8 file
_BOM = b"\xef\xbb\xbf"


def _lines(f: Any, max_bytes: int) -> Iterator[tuple[bytes, int]]:
    """Each non-blank line of binary file ``f`` without its line ending, cut to ``max_bytes + 1`` bytes, with
    its full length; the rest of a longer line is read in chunks and dropped."""
    first = True
    while line := f.readline(max_bytes + 1 + (len(_BOM) if first else 0)):  # (the first may hold a mark)
        if first:  # a file saved "UTF-8 with BOM": the mark is no part of its first line
            line, first = line.removeprefix(_BOM), False
        size = len(line)
        if size > max_bytes and not line.endswith(b"\n"):
            while chunk := f.readline(_CHUNK):
                size += len(chunk)
                if chunk.endswith(b"\n"):
                    break
            yield line, size
        elif line.strip():
            yield line.rstrip(b"\r\n"), size


def _decode_line(source: str, index: int, line: bytes, size: int, max_bytes: int) -> RawRow:
    if size > max_bytes:
        return RawRow(
            source,
            index,
            None,
            f"a line of {size:,} bytes, over the {max_bytes:,}-byte bound (max_line_bytes); not read",
            line[:200].decode("utf-8", "replace"),
            "too_large",
        )
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as e:
        return RawRow(
            source, index, None, f"invalid UTF-8 at byte {e.start}", line[:200].decode("utf-8", "replace")
        )
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        return RawRow(source, index, None, f"invalid JSON: {e.msg} at column {e.colno}", text[:200])
    except RecursionError:
        return RawRow(source, index, None, "JSON nested too deeply to parse", text[:200], "too_deep")
    except ValueError as e:  # an integer past Python's digit limit for int <-> str conversion
        return RawRow(source, index, None, f"unreadable JSON value: {e}", text[:200])
    if not isinstance(obj, dict):
        return RawRow(source, index, None, f"a JSON {type(obj).__name__}, not an object", text[:200])
    return RawRow(source, index, obj)


def _read_jsonl(
    path: Path, start: int = 0, stop: int | None = None, max_bytes: int = MAX_LINE_BYTES
) -> Iterator[RawRow]:
    with _open_text(path) as f:
        for index, (line, size) in enumerate(_lines(f, max_bytes)):
            if stop is not None and index >= stop:
                return
            if index >= start:  # rows before ``start`` are skipped without decoding
                yield _decode_line(str(path), index, line, size, max_bytes)


def _read_json(path: Path, max_bytes: int = MAX_LINE_BYTES) -> Iterator[RawRow]:
    with _open_text(path) as f:
        head = f.read(1)
        while head and (head.isspace() or head == _BOM[:1] and f.read(2) == _BOM[1:]):
            head = f.read(1)
    if head != b"[":  # JSON Lines under a .json name
        yield from _read_jsonl(path, max_bytes=max_bytes)
        return
    limit = max_bytes * JSON_ARRAY_LINES
    with _open_text(path) as f:
        text = f.read(limit + 1)
        if len(text) > limit:
            raise ValueError(
                f"{path}: a JSON array over {limit:,} bytes is not read whole; "
                "convert it to JSON Lines (one row per line), which is read row by row"
            )
        try:
            items = json.loads(text.removeprefix(_BOM).decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as e:  # a whole-file format: the file fails
            why = "nested too deeply" if isinstance(e, RecursionError) else str(e)
            raise ValueError(f"{path}: not a readable JSON array ({why})") from None
    for i, obj in enumerate(items):
        if isinstance(obj, dict):
            yield RawRow(str(path), i, obj)
        else:
            yield RawRow(
                str(path), i, None, f"a JSON {type(obj).__name__}, not an object", json.dumps(obj)[:200]
            )


def parquet_file(path: str | Path) -> Any:
    """``pyarrow.parquet.ParquetFile(path)``; a file pyarrow refuses (a schema nested too deeply, a broken
    footer) is a one-line ``ValueError`` naming it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as e:
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise ValueError(f"{path}: cannot read this Parquet file: {first}") from None


def _read_parquet(path: Path, batch_size: int, start: int = 0, stop: int | None = None) -> Iterator[RawRow]:
    pf = parquet_file(path)
    stop = pf.metadata.num_rows if stop is None else stop
    groups: list[int] = []
    first, offset = 0, 0  # only the row groups that overlap [start, stop) are read
    for g in range(pf.metadata.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        if offset + n > start and offset < stop:
            if not groups:
                first = offset
            groups.append(g)
        offset += n
    if not groups:
        return
    index = first
    for batch in pf.iter_batches(batch_size=batch_size, row_groups=groups):
        for row in batch.to_pylist():
            if start <= index < stop:
                yield RawRow(str(path), index, row)
            index += 1


def _read_hf_folder(path: Path, batch_size: int, max_line_bytes: int) -> Iterator[RawRow]:
    if (path / "state.json").exists() or (path / "dataset_dict.json").exists():
        from datasets import Dataset, DatasetDict, load_from_disk  # a save_to_disk folder

        ds = load_from_disk(str(path))
        splits = ds.items() if isinstance(ds, DatasetDict) else [("", ds)]
        for split, d in splits:
            assert isinstance(d, Dataset)
            source = f"{path}:{split}" if split else str(path)
            index = 0
            for batch in d.iter(batch_size=batch_size):
                for row in (
                    dict(zip(batch, vals, strict=True)) for vals in zip(*batch.values(), strict=True)
                ):
                    yield RawRow(source, index, row)
                    index += 1
        return
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(_DATA_SUFFIXES))
    if not files:
        raise ValueError(f"{path}: no dataset here (no state.json from save_to_disk, no Parquet/JSON files)")
    for f in files:
        yield from read_rows(f, batch_size, max_line_bytes=max_line_bytes)


def read_rows(
    path: str | Path,
    batch_size: int = 1024,
    start: int = 0,
    stop: int | None = None,
    max_line_bytes: int = MAX_LINE_BYTES,
) -> Iterator[RawRow]:
    """Stream rows ``start`` to ``stop`` (all by default) of ``path`` in file order; memory stays flat
    for large files (a JSON line longer than ``max_line_bytes`` is skipped unread and comes out as a
    ``too_large`` row), and Parquet and JSONL skip to ``start`` without decoding what comes before."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    fmt = detect_format(p)
    if fmt == "parquet":
        return _read_parquet(p, batch_size, start, stop)
    if fmt == "jsonl":
        return _read_jsonl(p, start, stop, max_line_bytes)
    rows = _read_json(p, max_line_bytes) if fmt == "json" else _read_hf_folder(p, batch_size, max_line_bytes)
    return islice(rows, start, stop) if start or stop is not None else rows


def exact_count(path: str | Path, max_line_bytes: int = MAX_LINE_BYTES) -> int:
    """How many rows ``path`` holds (Parquet: from its metadata; JSONL: non-blank lines, not decoded,
    cut as :func:`read_rows` cuts them)."""
    p = Path(path)
    fmt = detect_format(p)
    if fmt == "parquet":
        return parquet_file(p).metadata.num_rows
    if fmt == "jsonl":
        with _open_text(p) as f:
            return sum(1 for _ in _lines(f, max_line_bytes))
    return sum(1 for _ in read_rows(p, max_line_bytes=max_line_bytes))


def count_rows(path: str | Path) -> int | None:
    """Rows in ``path`` when cheap to know (Parquet metadata), else ``None``."""
    p = Path(path)
    if p.is_file() and p.name.lower().endswith(".parquet"):
        return parquet_file(p).metadata.num_rows
    return None
