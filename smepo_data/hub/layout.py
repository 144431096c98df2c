"""Lay finished masking runs out as a Hugging Face Hub dataset folder.

One config per OUT_DIR, Parquet under ``data/<config>/<split>-NNNNN-of-NNNNN.parquet`` (the names the
Hub's dataset viewer and ``datasets`` expect), and ``README.md``, the dataset card, whose YAML header
lists every data file per config and split.

Config names: the run's domain (``math``, ``code``, ``search``); when two runs share a domain, the last
part of each one's ``data_source`` (``openai/gsm8k`` -> ``gsm8k``); ``OUT_DIR=NAME`` names it outright.
Two runs with the same config and split are refused rather than silently merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from .._domains import DEFAULT_DOMAIN, DOMAINS
from .._runfolder import RunFolder

_SPLIT = re.compile(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*")
_CONFIG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_TEST_NAME = re.compile(r"(?:^|[^a-z])(?:test|eval|validation|dev)(?:[^a-z]|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Run:
    """One finished ``smepo-data mask`` output folder."""

    path: Path
    config: dict[str, Any]
    stats: dict[str, Any]
    files: tuple[Path, ...]
    rows: int
    data_sources: tuple[str, ...]
    name: str | None = None  # the config name asked for (OUT_DIR=NAME)

    @property
    def domain(self) -> str:
        return str(self.config.get("domain") or DEFAULT_DOMAIN)

    @property
    def split(self) -> str:
        return str(self.config.get("split") or "train")

    def check(self) -> None:
        """Refuse what ``config.json`` says when it could not come from ``smepo-data mask`` (the values are
        read back from a folder anyone may have written to, and they become paths)."""
        if self.domain not in DOMAINS:
            raise ValueError(
                f"{RunFolder(self.path).config}: domain {self.domain!r} is not one of {', '.join(DOMAINS)}"
            )
        if not _SPLIT.fullmatch(self.split):
            raise ValueError(
                f"{RunFolder(self.path).config}: split {self.split!r} is not a split name "
                "(letters, digits, '_')"
            )

    def test_inputs(self) -> list[str]:
        """Inputs whose file name says they hold a test split (when this run's split is ``train``)."""
        names = [Path(str(p)).name for p in self.config.get("inputs") or []]
        return [n for n in names if self.split == "train" and _TEST_NAME.search(n)]

    @property
    def level(self) -> str:
        return str(self.config.get("level") or "")

    @property
    def placeholder(self) -> str:
        return str(self.config.get("placeholder") or "typed")


def load_run(spec: str | Path) -> Run:
    """Read an OUT_DIR (``path`` or ``path=NAME``): its configuration, stats and data files."""
    text = str(spec)
    name = None
    if not Path(text).exists() and "=" in text:
        text, _, name = text.rpartition("=")
    path = Path(text)
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such output folder")
    folder = RunFolder(path)
    if not folder.finished:
        raise ValueError(f"{path} holds no finished `smepo-data mask` run (no {folder.success.name} marker)")
    config = folder.read_config()
    stats = folder.read_stats()
    if not stats.get("rows_out"):
        rejected = stats.get("rows_in", 0)
        raise ValueError(f"{path} wrote no rows (all {rejected:,} rejected): nothing to publish")
    files = folder.data_files()
    linked = [f for f in [folder.data, *files] if f.is_symlink()]
    if linked:
        raise ValueError(f"{linked[0]} is a symbolic link: publish takes a run's own files only")
    counts = [pq.ParquetFile(f).metadata.num_rows for f in files]
    kept = tuple(f for f, n in zip(files, counts, strict=True) if n) or tuple(files[:1])
    sources = (
        pl.scan_parquet([str(f) for f in kept])
        .select(pl.col("data_source").unique())
        .collect()["data_source"]
    )
    if name is not None and not _CONFIG.fullmatch(name):
        raise ValueError(f"config name {name!r}: use letters, digits, '_', '-' and '.'")
    run = Run(path, config, stats, kept, sum(counts), tuple(sorted(s for s in sources if s)), name)
    run.check()
    return run


def _slug(data_source: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "_", data_source.rsplit("/", 1)[-1].lower()).strip("_.-") or "data"


def config_names(runs: list[Run]) -> list[str]:
    """The config each run becomes (see the module docstring)."""
    by_domain: dict[str, set[tuple[str, ...]]] = {}
    for run in runs:
        by_domain.setdefault(run.domain, set()).add(run.data_sources)
    names = []
    for run in runs:
        if run.name:
            names.append(run.name)
        elif len(by_domain[run.domain]) > 1:
            names.append("_".join(_slug(s) for s in run.data_sources) or run.domain)
        else:
            names.append(run.domain)
    return names


@dataclass
class HubConfig:
    """One config of the published dataset: split -> (run, files in the folder)."""

    name: str
    splits: dict[str, tuple[Run, list[str]]] = field(default_factory=dict)


@dataclass
class HubLayout:
    folder: Path
    repo_id: str
    configs: dict[str, HubConfig]

    @property
    def files(self) -> list[str]:
        """Every data file, relative to the folder."""
        return [f for c in self.configs.values() for _, files in c.splits.values() for f in files]

    @property
    def rows(self) -> int:
        return sum(run.rows for c in self.configs.values() for run, _ in c.splits.values())


def plan_layout(runs: list[Run], folder: Path, repo_id: str) -> HubLayout:
    """Which run goes to which config and split, and the name of each data file."""
    configs: dict[str, HubConfig] = {}
    for run, name in zip(runs, config_names(runs), strict=True):
        if not _CONFIG.fullmatch(name):
            raise ValueError(f"config name {name!r} (from {run.path}): use letters, digits, '_', '-' and '.'")
        config = configs.setdefault(name, HubConfig(name))
        if run.split in config.splits:
            other = config.splits[run.split][0].path
            raise ValueError(
                f"{run.path} and {other} both make config {name!r} split {run.split!r}; "
                f"name them apart with OUT_DIR=NAME"
            )
        n = len(run.files)
        config.splits[run.split] = (
            run,
            [f"data/{name}/{run.split}-{i:05d}-of-{n:05d}.parquet" for i in range(n)],
        )
    return HubLayout(folder, repo_id, configs)
