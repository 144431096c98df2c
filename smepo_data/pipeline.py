"""The masking pipeline: read rows, build examples, mask and audit, write Parquet, rejects and stats.

    from smepo_data.pipeline import PipelineConfig, run
    stats = run(PipelineConfig(inputs=["gsm8k_train.jsonl"], output="out/gsm8k", preset="gsm8k"))

Every input row ends up in ``OUT/data`` or in ``OUT/rejects`` with a reason; ``stats.json`` checks that
rows in = rows written + rows rejected.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from itertools import islice
from pathlib import Path
from typing import Any

import yaml

from ._api import mask_example
from ._domains import (
    DEFAULT_DOMAIN,
    all_presets,
    column_preset,
    find_preset,
    get_domain,
    guess_preset,
    preset_into,
)
from ._model import Example, MaskResult, RowError
from ._pieces import assemble, cut, write_marker
from ._render import PLACEHOLDER_STYLES
from ._runfolder import (
    NOT_OUTPUT,
    RunFolder,
    RunLock,
    clear_shards,
    done_shards,
    remove_temporaries,
    shard_mismatch,
)
from .executors import EXECUTORS, Shard, WorkerDied, executor_for, plan_shards, report
from .guidance import check_guidance_options, guided_messages
from .io.presets import MAX_TEXT_CHARS, Preset
from .io.readers import MAX_LINE_BYTES, RawRow, read_rows
from .io.writer import OUTPUT_SCHEMA, REJECT_SCHEMA, ParquetShardWriter, row_json
from .stats import Stats


@dataclass
class PipelineConfig:
    """What to mask and how. Loadable from a pipeline YAML file (``pipelines/*.yaml``) with the same keys."""

    inputs: list[str] = field(default_factory=list)
    output: str = ""
    #: input schema: a preset name (gsm8k, math, smepo), "columns" with ``columns`` set, or "auto"
    preset: str = "auto"
    #: field -> column (dotted path) for corpora without a preset: question, trace, answer, id
    columns: dict[str, str] = field(default_factory=dict)
    #: math | code | search; default: the preset's
    domain: str | None = None
    #: masking level; default: the domain's (math: critical)
    level: str | None = None
    placeholder: str = "typed"
    #: write traces whose own final answer is not the gold (flagged in ``wrong_trace``) instead of
    #: rejecting them as ``wrong_trace``
    keep_wrong_traces: bool = False
    #: where ``guided_prompt`` shows the masked trace: assistant_turn (the release's) or user
    guidance_position: str = "assistant_turn"
    #: share of the masked trace ``guided_prompt`` shows, in characters, cut back to a line boundary
    prefix_ratio: float = 1.0
    #: verl's data_source column; default: the preset's
    data_source: str | None = None
    split: str = "train"
    name: str = ""
    description: str = ""
    max_chars: int = MAX_TEXT_CHARS
    #: the longest JSON line read as a row, in bytes; a longer one is rejected as ``too_large`` unread
    max_line_bytes: int = MAX_LINE_BYTES
    batch_size: int = 1000
    limit: int | None = None
    #: rows per shard: shards depend on this and the inputs only, so a rerun resumes shard by shard
    shard_rows: int = 5000
    #: worker processes (1: run in this process)
    workers: int = 1
    #: local (a process pool on this machine) or ray (``pip install 'smepo[ray]'``)
    executor: str = "local"
    #: CPU seconds one row may take before it is rejected with reason ``timeout`` (0: no limit)
    row_timeout_s: float = 30.0

    @classmethod
    def from_yaml(
        cls, path: str | Path, *, defaults: dict[str, Any] | None = None, **overrides: Any
    ) -> PipelineConfig:
        """The file's settings over ``defaults``, and ``overrides`` (those not None) over both."""
        try:
            data = yaml.safe_load(Path(path).read_text()) or {}
        except yaml.YAMLError as e:
            raise ValueError(f"{path} is not valid YAML: {e}") from None
        if not isinstance(data, dict):
            raise ValueError(f"{path}: a pipeline file must be a YAML mapping")
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(
                f"{path}: unknown key(s) {sorted(unknown)}; known keys: {', '.join(sorted(known))}"
            )
        data = (defaults or {}) | data | {k: v for k, v in overrides.items() if v is not None}
        return cls(**data)

    def resolve_preset(self, first_row: dict[str, Any] | None) -> Preset:
        if self.columns:
            return column_preset(self.columns, self.domain or DEFAULT_DOMAIN)
        name = self.preset
        if name == "auto":
            guessed = guess_preset(first_row or {})
            if guessed is None:
                cols = ", ".join(sorted(first_row or {}))
                raise ValueError(
                    f"cannot guess the input schema from its columns ({cols}); "
                    f"pass --format {'/'.join(all_presets())} or a column mapping"
                )
            name = guessed
        return find_preset(name)

    def check(self) -> None:
        if not self.inputs:
            raise ValueError("no inputs given")
        if not self.output:
            raise ValueError("no output folder given")
        if self.placeholder not in PLACEHOLDER_STYLES:
            raise ValueError(
                f"unknown placeholder {self.placeholder!r}; choose one of {', '.join(PLACEHOLDER_STYLES)}"
            )
        for key in ("shard_rows", "workers", "batch_size", "max_chars", "max_line_bytes"):
            if not isinstance(getattr(self, key), int) or getattr(self, key) < 1:
                raise ValueError(f"{key} must be a whole number >= 1, got {getattr(self, key)!r}")
        if self.limit is not None and (not isinstance(self.limit, int) or self.limit < 1):
            raise ValueError(f"limit must be a whole number >= 1, got {self.limit!r}")
        if not isinstance(self.row_timeout_s, int | float) or self.row_timeout_s < 0:
            raise ValueError(f"row_timeout_s must be >= 0 seconds (0: no limit), got {self.row_timeout_s!r}")
        if not re.fullmatch(r"\w+(\.\w+)*", str(self.split)):
            raise ValueError(
                f"split {self.split!r}: use letters, digits and underscores (as the Hub and datasets expect)"
            )
        if Path(self.output).exists() and not Path(self.output).is_dir():
            raise ValueError(f"output {self.output} exists and is not a folder")
        if self.executor not in EXECUTORS:
            raise ValueError(f"unknown executor {self.executor!r}; choose {' or '.join(EXECUTORS)}")
        if self.domain is not None:
            get_domain(self.domain).check_level(self.level)
        check_guidance_options(self.guidance_position, self.prefix_ratio)
        for path in self.inputs:
            if not Path(path).exists():
                raise FileNotFoundError(f"input {path} does not exist")


def output_row(
    ex: Example,
    result: MaskResult,
    fraction: float,
    data_source: str,
    split: str,
    guidance_position: str = "assistant_turn",
    prefix_ratio: float = 1.0,
) -> dict[str, Any]:
    """One output row: verl's columns, TRL's conversational prompt, the guided prompt (the masked trace
    placed as smepo-train places it) and the masking record."""
    prompt = [{"role": "user", "content": ex.question}]
    return {
        "data_source": data_source,
        "prompt": prompt,
        "guided_prompt": guided_messages(
            prompt, result.text, position=guidance_position, prefix_ratio=prefix_ratio
        ),
        "ability": ex.domain,
        "reward_model": {"style": "rule", "ground_truth": ex.answer},
        "extra_info": {
            "index": ex.meta.get("index"),
            "split": split,
            "id": ex.id,
            "source": ex.meta.get("source"),
            "teacher_ds": result.text,
        },
        "id": ex.id,
        "question": ex.question,
        "trace": ex.trace,
        "masked_trace": result.text,
        "spans": [s.to_dict() for s in result.spans],
        "mask_level": result.level,
        "requested_level": result.requested_level,
        "placeholder": result.placeholder,
        "masked_fraction": fraction,
        "leak": result.leak,
        "wrong_trace": result.wrong_trace,
    }


def reject_row(raw: RawRow, reason: str, detail: str, example_id: str | None = None) -> dict[str, Any]:
    return {
        "source": raw.source,
        "row_index": raw.index,
        "id": example_id,
        "reason": reason,
        "detail": detail,
        "row": row_json(raw.data) if raw.data is not None else (raw.raw or ""),
    }


def to_example(raw: RawRow, preset: Preset, cfg: PipelineConfig) -> Example | dict[str, Any]:
    """The row as an :class:`Example`, or its reject row."""
    if raw.data is None:
        return reject_row(raw, raw.reason, raw.error or "unreadable")
    try:
        return preset.to_example(raw.data, source=raw.source, index=raw.index, max_chars=cfg.max_chars)
    except RowError as e:
        return reject_row(raw, e.reason, e.detail)
    except RecursionError:
        return reject_row(raw, "too_deep", "a value nested too deeply to read")


class RunError(RuntimeError):
    """The run could not finish: a shard kept killing its worker, or the rows did not add up."""


class RowTimeout(BaseException):
    """A row used up its CPU-time budget (a BaseException, so no ``except Exception`` in a library on
    the way can swallow it)."""


@contextmanager
def cpu_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RowTimeout` in the block once it has used ``seconds`` of CPU time. It uses the
    virtual timer (SIGVTALRM), so it does not disturb math-verify's wall-clock alarm (SIGALRM); only
    in the main thread, where signals are delivered (a no-op elsewhere)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise RowTimeout(f"used more than {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def mask_row(raw: RawRow, ex: Example, cfg: PipelineConfig, data_source: str) -> tuple[str, dict[str, Any]]:
    """``("out", row)`` or ``("reject", row)`` for one example. Never raises for a bad row; a row that
    runs past ``cfg.row_timeout_s`` of CPU time is rejected with reason ``timeout``."""
    try:
        with cpu_budget(cfg.row_timeout_s):
            result = mask_example(ex, cfg.level, cfg.placeholder, cfg.keep_wrong_traces)
    except RowTimeout as e:
        return "reject", reject_row(raw, "timeout", str(e), ex.id)
    except RowError as e:
        return "reject", reject_row(raw, e.reason, e.detail, ex.id)
    except (RecursionError, MemoryError, ValueError, TypeError, ArithmeticError) as e:
        return "reject", reject_row(raw, "masker_error", f"{type(e).__name__}: {e}", ex.id)
    if result.leak is not None:
        return "reject", reject_row(
            raw, "leak", f"still leaks at level {result.level!r}: {result.leak}", ex.id
        )
    fraction = result.masked_fraction(ex.trace)
    row = output_row(ex, result, fraction, data_source, cfg.split, cfg.guidance_position, cfg.prefix_ratio)
    return "out", row


def process_batch(
    raws: list[RawRow], preset: Preset, cfg: PipelineConfig, data_source: str
) -> list[tuple[str, dict[str, Any]]]:
    """Rows in, output or reject rows out, in order. A masker with a ``prepare`` hook sees the whole
    batch first (the search masker runs spaCy over it with ``nlp.pipe``)."""
    parsed = [(raw, to_example(raw, preset, cfg)) for raw in raws]
    masker = get_domain(cfg.domain or preset.domain).masker
    prepare = getattr(masker, "prepare", None)
    examples = [ex for _, ex in parsed if isinstance(ex, Example)]
    if prepare is not None and examples:
        try:  # the batch's share of the rows' budgets; past it, rows are prepared one by one, each in its own
            with cpu_budget(cfg.row_timeout_s * len(examples)):
                prepare(examples)
        except RowTimeout:
            pass
    return [
        mask_row(raw, ex, cfg, data_source) if isinstance(ex, Example) else ("reject", ex)
        for raw, ex in parsed
    ]


#: settings that may change between a run and its resume
_VOLATILE = ("workers", "executor", "inputs", "output", "batch_size")


def _resolved(cfg: PipelineConfig, shards: list[Shard]) -> dict[str, Any]:
    presets = sorted({s.preset for s in shards}) or [cfg.preset]
    domain = cfg.domain or (
        all_presets()[presets[0]].domain if presets[0] in all_presets() else DEFAULT_DOMAIN
    )
    return asdict(cfg) | {
        "preset": ",".join(presets),
        "domain": domain,
        "level": cfg.level or get_domain(domain).spec.default_level,
        "shards": [[s.path, s.start, s.stop] for s in shards],
    }


def _check_resume(out: Path, resolved: dict[str, Any], overwrite: bool) -> None:
    """Refuse to mix two configurations in one folder; ``overwrite`` starts clean instead (keeping the
    lock this run holds)."""
    content = _content(out)
    if not content:
        return
    if overwrite:
        for p in content:
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
        return
    _refuse_foreign(out, content)
    before = RunFolder(out).read_config()
    known = asdict(PipelineConfig())  # a key a run from an older version did not write had its default
    changed = sorted(k for k in resolved if k not in _VOLATILE and before.get(k, known.get(k)) != resolved[k])
    if changed:
        raise FileExistsError(
            f"{out} holds a run with another configuration ({', '.join(changed)} differ); "
            "use another folder or pass --overwrite to start clean"
        )


def _content(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.name not in NOT_OUTPUT] if out.is_dir() else []


def _refuse_foreign(out: Path, content: list[Path]) -> None:
    if content and not RunFolder(out).config.exists():
        raise FileExistsError(f"{out} is not empty and holds no smepo run; pass --overwrite to replace it")


def run_shard(job: tuple[Shard, PipelineConfig]) -> dict[str, Any]:
    """Mask one shard into ``OUT/data`` and ``OUT/rejects`` (temporary names, renamed when complete), then
    write its stats as the completion marker ``OUT/_shards/NNNNN.json``. Returns the stats. A piece of a
    shard (:mod:`._pieces`) goes to ``OUT/_pieces/NNNNN.PPP/`` instead, with no marker."""
    shard, cfg = job
    out = Path(cfg.output)
    named = (
        column_preset(cfg.columns, cfg.domain or DEFAULT_DOMAIN) if cfg.columns else find_preset(shard.preset)
    )
    preset = preset_into(named, cfg.domain)
    domain = cfg.domain or preset.domain
    shard_cfg = replace(cfg, domain=domain)
    data_source = cfg.data_source or preset.data_source or preset.name
    run_folder = RunFolder(out)
    into, prefix = (
        (run_folder, f"part-{shard.name}")
        if shard.piece is None
        else (RunFolder(run_folder.pieces / shard.name), "part")
    )
    data = ParquetShardWriter(
        into.data, OUTPUT_SCHEMA, prefix=prefix, batch_rows=cfg.batch_size, rows_per_file=10**12
    )
    rejects = ParquetShardWriter(
        into.rejects, REJECT_SCHEMA, prefix=prefix, batch_rows=cfg.batch_size, rows_per_file=10**12
    )
    stats = Stats()
    start = time.perf_counter()
    with ShardLog(run_folder.log(shard.name)) as log:
        log.write(f"start {shard.path} rows {shard.start}-{shard.stop} pid {os.getpid()} domain {domain}")
        rows = read_rows(shard.path, cfg.batch_size, shard.start, shard.stop, cfg.max_line_bytes)
        try:
            while batch := list(islice(rows, cfg.batch_size)):
                for where, row in process_batch(batch, preset, shard_cfg, data_source):
                    if where == "out":
                        data.write(row)
                        stats.add_output(row)
                    else:
                        rejects.write(row)
                        stats.add_reject(row["reason"])
                        log.write(f"reject row {row['row_index']} ({row['reason']}): {row['detail'][:200]}")
                report(len(batch))
                rate = stats.rows_in / (time.perf_counter() - start)
                log.write(f"{stats.rows_in}/{shard.stop - shard.start} rows, {rate:,.0f} rows/s")
        except BaseException as e:
            log.write(f"failed: {type(e).__name__}: {e}")
            data.abort()
            rejects.abort()
            raise
        data.close(empty_file=False)
        rejects.close(empty_file=False)
        stats.seconds = time.perf_counter() - start
        if stats.rows_in != shard.stop - shard.start:
            expected = shard.stop - shard.start
            raise RunError(f"shard {shard.name}: read {stats.rows_in} rows, expected {expected}")
        if shard.piece is None:
            write_marker(out, shard.name, stats.to_dict())
        log.write(f"done: {stats.rows_out} written, {stats.rows_rejected} rejected in {stats.seconds:.1f} s")
        return stats.to_dict()


class ShardLog:
    """A shard's log file (``OUT/_logs/NNNNN.log``), started afresh by each attempt at the shard; line
    buffered, so a killed shard's log ends with its last line."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("w", buffering=1)

    def write(self, line: str) -> None:
        self._file.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")

    def __enter__(self) -> ShardLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def _run_shards(
    cfg: PipelineConfig, shards: list[Shard], progress: Callable[[int], None], events: Callable[[str], None]
) -> None:
    """Run ``shards`` on the configured executor, keeping ``progress`` right across retries."""
    reported: dict[str, int] = {}

    def on_progress(job: tuple[Shard, PipelineConfig], rows: int) -> None:
        reported[job[0].name] = reported.get(job[0].name, 0) + rows
        progress(rows)

    def on_retry(job: tuple[Shard, PipelineConfig], reason: str) -> None:
        progress(-reported.pop(job[0].name, 0))
        events(f"shard {job[0].name} ({job[0].path} rows {job[0].start}-{job[0].stop}): {reason}")

    jobs = [(s, cfg) for s in cut(shards, cfg.workers)]
    pieces: dict[int, dict[int, dict[str, Any]]] = {}
    try:
        for (shard, _), shard_stats in executor_for(cfg.executor, cfg.workers).run(
            run_shard, jobs, on_progress, on_retry
        ):
            progress(shard.stop - shard.start - reported.pop(shard.name, 0))
            if shard.piece is not None:
                done = pieces.setdefault(shard.index, {})
                done[shard.piece] = shard_stats
                if len(done) < shard.pieces:
                    continue
                in_order = [done[i] for i in sorted(done)]
                shard_stats = assemble(Path(cfg.output), shard, in_order, cfg.batch_size)
                shard = replace(shard, piece=None)
            events(
                f"shard {shard.name} done: {shard_stats['rows_out']:,} written, "
                f"{shard_stats['rows_rejected']:,} rejected"
            )
    except WorkerDied as e:
        shard = e.item[0]
        raise RunError(
            f"shard {shard.name} ({shard.path} rows {shard.start}-{shard.stop}): {e}; "
            f"see {RunFolder(cfg.output).log(shard.name)}"
        ) from e


def run(
    cfg: PipelineConfig,
    progress: Callable[[int], None] | None = None,
    overwrite: bool = False,
    events: Callable[[str], None] | None = None,
) -> Stats:
    """Mask every input row into ``cfg.output``; returns the run's :class:`Stats`.

    Shards already complete in ``cfg.output`` (a killed run) are kept and skipped, so running the same
    command again resumes; a different configuration in the same folder is refused. ``progress(rows)``
    hears of rows done as they are done (negative when a shard whose worker died starts again);
    ``events(message)`` of finished shards and retries.
    """
    cfg.check()
    first_rows: dict[str, str] = {}

    def preset_for(path: str) -> str:
        head = read_rows(path, 1, 0, 100, cfg.max_line_bytes)  # the first readable row tells the schema
        first = next((r for r in head if r.data is not None), None)
        preset = cfg.resolve_preset(first.data if first else None)
        first_rows[path] = preset.name
        return "columns" if cfg.columns else preset.name

    shards = plan_shards(cfg.inputs, cfg.shard_rows, cfg.limit, preset_for, cfg.max_line_bytes)
    for name in set(first_rows.values()) - {"columns"}:
        get_domain(cfg.domain or find_preset(name).domain).check_level(cfg.level)
    out = Path(cfg.output)
    if not overwrite:  # before the lock, which would leave its file in a folder that is not ours
        _refuse_foreign(out, _content(out))
    with RunLock(out):
        return _run_locked(cfg, shards, out, overwrite, progress, events)


def _run_locked(
    cfg: PipelineConfig,
    shards: list[Shard],
    out: Path,
    overwrite: bool,
    progress: Callable[[int], None] | None,
    events: Callable[[str], None] | None,
) -> Stats:
    progress = progress or (lambda rows: None)
    events = events or (lambda message: None)
    resolved = _resolved(cfg, shards)
    _check_resume(out, resolved, overwrite)
    folder = RunFolder(out)
    folder.success.unlink(missing_ok=True)  # a run in progress is never marked finished
    out.mkdir(parents=True, exist_ok=True)
    folder.config.write_text(json.dumps(resolved, indent=2) + "\n")
    remove_temporaries(out)  # what killed runs left half-written; nobody else writes here now
    done = done_shards(out, [s.name for s in shards], events)
    pending = [s for s in shards if s.name not in done]
    clear_shards(out, [s.name for s in pending])  # a shard run again starts from no file of its own
    if len(pending) < len(shards):
        progress(sum(s.stop - s.start for s in shards if s.name in done))
        events(f"resuming: {len(shards) - len(pending)} of {len(shards)} shards already done")
    started = time.perf_counter()
    _run_shards(cfg, pending, progress, events)
    stats = Stats()
    for shard in shards:
        marker = json.loads(folder.marker(shard.name).read_text())
        if (why := shard_mismatch(out, shard.name, marker)) is not None:
            raise RunError(f"shard {shard.name}: {why}; run the same command again to redo it")
        stats.merge(Stats.from_dict(marker))
    if stats.rows_in != stats.rows_out + stats.rows_rejected or stats.rows_in != sum(
        s.stop - s.start for s in shards
    ):
        raise RunError(
            f"row accounting broke: {stats.rows_in} in, {stats.rows_out} out, {stats.rows_rejected} rejected"
        )
    stats.rows_run = sum(s.stop - s.start for s in pending)
    stats.wall_seconds = time.perf_counter() - started
    # readers want a schema: a folder without rows gets an empty file
    for files, schema in zip(folder.outputs, (OUTPUT_SCHEMA, REJECT_SCHEMA), strict=True):
        if not any(files.glob("*.parquet")) if files.exists() else True:
            ParquetShardWriter(files, schema).close()
    folder.stats.write_text(json.dumps(stats.to_dict(), indent=2) + "\n")
    folder.success.write_text("")
    return stats
