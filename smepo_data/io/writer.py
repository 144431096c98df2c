"""Write masked rows and rejects as zstd Parquet, streamed in record batches with an explicit schema.

Files are written under a temporary name and renamed when complete, so a folder never holds a
half-written file under its final name.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .._runfolder import temp_name


def _strings(*names: str) -> list[tuple[str, pa.DataType]]:
    return [(name, pa.string()) for name in names]


SPAN_TYPE = pa.struct([("start", pa.int32()), ("end", pa.int32()), *_strings("kind", "reason", "value")])

MESSAGES_TYPE = pa.list_(pa.struct(_strings("role", "content")))

#: masked rows: verl's layout (data_source, prompt, ability, reward_model, extra_info.teacher_ds), TRL's
#: conversational ``prompt``, ``guided_prompt`` (the prompt with the masked trace placed as smepo-train
#: places it: smepo_data.guidance) and the masking record beside them
OUTPUT_SCHEMA = pa.schema(
    [
        ("data_source", pa.string()),
        ("prompt", MESSAGES_TYPE),
        ("guided_prompt", MESSAGES_TYPE),
        ("ability", pa.string()),
        ("reward_model", pa.struct(_strings("style", "ground_truth"))),
        ("extra_info", pa.struct([("index", pa.int64()), *_strings("split", "id", "source", "teacher_ds")])),
        *_strings("id", "question", "trace", "masked_trace"),
        ("spans", pa.list_(SPAN_TYPE)),
        *_strings("mask_level", "requested_level", "placeholder"),
        ("masked_fraction", pa.float64()),
        *_strings("leak", "wrong_trace"),
    ]
)

#: rejected rows; ``row`` is the original row as JSON (as text when it was not readable)
REJECT_SCHEMA = pa.schema(
    [("source", pa.string()), ("row_index", pa.int64()), *_strings("id", "reason", "detail", "row")]
)


def row_json(row: Any) -> str:
    """The original row as JSON text, whatever it holds (bytes, surrogates, odd types); a row too deep to
    write out is named as such instead."""
    try:
        return json.dumps(row, ensure_ascii=True, default=repr)
    except (RecursionError, ValueError) as e:
        return json.dumps({"unwritable_row": f"{type(e).__name__}: {e}"[:300]})


class ParquetShardWriter:
    """Stream rows into ``folder/{prefix}-NNNNN.parquet``, a new file every ``rows_per_file`` rows."""

    def __init__(
        self,
        folder: str | Path,
        schema: pa.Schema,
        prefix: str = "part",
        batch_rows: int = 1000,
        rows_per_file: int = 500_000,
    ):
        self.folder = Path(folder)
        self.schema = schema
        self.prefix = prefix
        self.batch_rows = batch_rows
        self.rows_per_file = rows_per_file
        self.files: list[Path] = []
        self._buffer: list[dict[str, Any]] = []
        self._writer: pq.ParquetWriter | None = None
        self._tmp: Path | None = None
        self._rows_in_file = 0

    def write(self, row: dict[str, Any]) -> None:
        self._buffer.append(row)
        if len(self._buffer) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            final = self.folder / f"{self.prefix}-{len(self.files):05d}.parquet"
            self._tmp = temp_name(final)  # unique per process: an orphan never shares it
            self._writer = pq.ParquetWriter(self._tmp, self.schema, compression="zstd")
            self.files.append(final)
        self._writer.write_batch(pa.RecordBatch.from_pylist(self._buffer, schema=self.schema))
        self._rows_in_file += len(self._buffer)
        self._buffer = []
        if self._rows_in_file >= self.rows_per_file:
            self._finish_file()

    def _finish_file(self) -> None:
        if self._writer is not None and self._tmp is not None:
            self._writer.close()
            os.replace(self._tmp, self.files[-1])
        self._writer, self._tmp, self._rows_in_file = None, None, 0

    def close(self, empty_file: bool = True) -> list[Path]:
        """Finish the last file; with no rows at all, write one empty file so readers see the schema
        (unless ``empty_file`` is false)."""
        if not self.files and not self._buffer and not empty_file:
            return []
        if not self.files and not self._buffer:
            self.folder.mkdir(parents=True, exist_ok=True)
            empty = self.folder / f"{self.prefix}-00000.parquet"
            pq.write_table(self.schema.empty_table(), empty, compression="zstd")
            self.files.append(empty)
            return self.files
        self._flush()
        self._finish_file()
        return self.files

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._tmp is not None and self._tmp.exists():
            self._tmp.unlink()
        self._writer = self._tmp = None
