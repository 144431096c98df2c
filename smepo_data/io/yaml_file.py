"""Settings files: a YAML mapping read with a clear error for a file that is not one (a pipeline file, the
trainer's config)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def load_mapping(path: str | Path, not_a_mapping: str) -> dict[str, Any]:
    """The YAML mapping in file ``path`` (an empty file: ``{}``). Raises ``ValueError`` naming the file when
    it is not valid YAML, and ``f"{path}: {not_a_mapping}"`` when it holds something other than a mapping."""
    try:
        data = yaml.safe_load(Path(path).read_text()) or {}
    except yaml.YAMLError as e:
        raise ValueError(f"{path} is not valid YAML: {e}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: {not_a_mapping}")
    return data
