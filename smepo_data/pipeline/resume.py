"""Whose a run folder is: a run resumes only a run of the same configuration, never a folder that holds
something else; ``overwrite`` starts clean instead."""

from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .._domains import DEFAULT_DOMAIN, all_presets, get_domain
from .._runfolder import NOT_OUTPUT, RunFolder
from ..executors import Shard
from .config import PipelineConfig

#: settings that may change between a run and its resume
_VOLATILE = ("workers", "executor", "inputs", "output", "batch_size")


def resolved_config(cfg: PipelineConfig, shards: list[Shard]) -> dict[str, Any]:
    """The run's configuration as ``config.json`` holds it: ``cfg`` with its preset, domain, level and
    shards resolved."""
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


def check_resume(out: Path, resolved: dict[str, Any], overwrite: bool) -> None:
    """Refuse to mix two configurations in one folder; ``overwrite`` starts clean instead (keeping the
    lock this run holds)."""
    found = content(out)
    if not found:
        return
    if overwrite:
        for p in found:
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
        return
    refuse_foreign(out, found)
    before = RunFolder(out).read_config()
    known = asdict(PipelineConfig())  # a key a run from an older version did not write had its default
    changed = sorted(k for k in resolved if k not in _VOLATILE and before.get(k, known.get(k)) != resolved[k])
    if changed:
        raise FileExistsError(
            f"{out} holds a run with another configuration ({', '.join(changed)} differ); "
            "use another folder or pass --overwrite to start clean"
        )


def content(out: Path) -> list[Path]:
    """What folder ``out`` holds besides the lock (nothing: a fresh folder)."""
    return [p for p in out.iterdir() if p.name not in NOT_OUTPUT] if out.is_dir() else []


def refuse_foreign(out: Path, content: list[Path]) -> None:
    """Refuse a folder with ``content`` that holds no smepo run (no ``config.json``)."""
    if content and not RunFolder(out).config.exists():
        raise FileExistsError(f"{out} is not empty and holds no smepo run; pass --overwrite to replace it")
