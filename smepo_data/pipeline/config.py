"""A mask run's configuration (:class:`PipelineConfig`): what to mask and how, loadable from a pipeline
YAML file, checked before a run starts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .._domains import DEFAULT_DOMAIN, all_presets, column_preset, find_preset, get_domain, guess_preset
from .._render import PLACEHOLDER_STYLES
from ..executors import EXECUTORS
from ..guidance import check_guidance_options
from ..io.presets import MAX_TEXT_CHARS, Preset
from ..io.readers import MAX_LINE_BYTES
from ..io.yaml_file import load_mapping


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
        data = load_mapping(path, "a pipeline file must be a YAML mapping")
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
