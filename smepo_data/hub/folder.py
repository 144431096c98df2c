"""Write the folder to upload: the runs' data files under the layout's names and the dataset card, never
outside the folder and never over anything that smepo did not lay out there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .card import dataset_card
from .layout import HubLayout, Run, plan_layout


def _clear(folder: Path) -> None:
    """Empty ``folder`` when it is one we laid out before; refuse to touch anything else."""
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} exists and is not a folder")
    if not folder.exists() or not any(folder.iterdir()):
        return
    ours = {p.name for p in folder.iterdir()} <= {"README.md", "data"} and "smepo" in (
        (folder / "README.md").read_text() if (folder / "README.md").exists() else ""
    )
    if not ours:
        raise FileExistsError(f"{folder} is not empty and was not laid out by smepo-data publish")
    shutil.rmtree(folder)


def build_folder(runs: list[Run], folder: str | Path, repo_id: str) -> HubLayout:
    """Write the folder to upload: the data files (hard links where the file system allows) and the card."""
    layout = plan_layout(runs, Path(folder), repo_id)
    for name in [*layout.files, "README.md"]:  # checked before anything is removed or written
        inside(layout.folder, name)
    _clear(layout.folder)
    for config in layout.configs.values():
        for run, names in config.splits.values():
            for src, name in zip(run.files, names, strict=True):
                place_file(src, inside(layout.folder, name))
    with open(inside(layout.folder, "README.md"), "x", encoding="utf-8") as f:
        f.write(dataset_card(layout))
    return layout


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refused unless it resolves inside ``folder`` (no ``..``, no link out)."""
    dst = folder / name
    root = folder.resolve()
    if not dst.resolve().is_relative_to(root) or dst.resolve() == root:
        raise ValueError(f"{name!r} would be written outside {folder}; refused")
    return dst


def place_file(src: Path, dst: Path) -> None:
    """Put ``src`` at ``dst``: a hard link, else a copy. Never replaces or writes through anything already at
    ``dst`` (a file, a link): the copy creates ``dst`` exclusively, so it cannot follow a link there."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst, follow_symlinks=False)
        return
    except FileExistsError:
        raise FileExistsError(f"{dst} already exists; refused to replace it") from None
    except OSError:
        pass  # another file system, or links not allowed: copy
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        shutil.copyfileobj(fin, fout)
