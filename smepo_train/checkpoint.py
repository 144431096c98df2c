"""Checkpoints that resume exactly: model, optimizer, scheduler, every RNG and the data position.

A checkpoint is ``OUTPUT_DIR/checkpoint-STEP/``, written under a temporary name and renamed when complete
(a crash never leaves a half checkpoint under a final name); the oldest beyond ``save_total_limit`` are
removed.

Resuming never executes code from the checkpoint: ``trainer_state.pt`` holds only tensors and plain data
(the Python and NumPy RNG states as lists of integers, the data position as numbers) and is read with
``torch.load(weights_only=True)``, which refuses any pickled object; the weights are safetensors.
"""

from __future__ import annotations

import json
import pickle
import random
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import torch

STATE = "trainer_state.pt"
_NAME = re.compile(r"^checkpoint-(\d+)$")


def rng_state() -> dict[str, Any]:
    """Every RNG's state as tensors and plain data (what ``torch.load(weights_only=True)`` accepts)."""
    version, internal, gauss = random.getstate()
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    state: dict[str, Any] = {
        "python": {"version": version, "state": list(internal), "gauss": gauss},
        "numpy": {
            "kind": str(kind),
            "keys": torch.from_numpy(np.asarray(keys, dtype=np.int64)),
            "pos": int(pos),
            "has_gauss": int(has_gauss),
            "cached_gaussian": float(cached),
        },
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    py, npy = state["python"], state["numpy"]
    random.setstate((py["version"], tuple(py["state"]), py["gauss"]))
    keys = npy["keys"].numpy().astype(np.uint32)
    np.random.set_state((npy["kind"], keys, npy["pos"], npy["has_gauss"], npy["cached_gaussian"]))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


class UnsafeCheckpoint(RuntimeError):
    """A checkpoint holds something other than tensors and plain data (a planted pickle, or one written
    by an older version that pickled its RNG state): it is refused, never executed."""


def read_state(path: Path) -> dict[str, Any]:
    """``trainer_state.pt`` of checkpoint ``path``, read without unpickling any object."""
    try:
        return torch.load(path / STATE, weights_only=True, map_location="cpu")
    except pickle.UnpicklingError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise UnsafeCheckpoint(
            f"{path / STATE} holds more than tensors and plain data; refused, nothing in it was run ({first})"
        ) from None


def checkpoints(output_dir: str | Path) -> list[Path]:
    """Complete checkpoints in ``output_dir``, oldest first."""
    root = Path(output_dir)
    if not root.is_dir():
        return []
    found = [
        (int(m.group(1)), p) for p in root.iterdir() if (m := _NAME.match(p.name)) and (p / STATE).exists()
    ]
    return [p for _, p in sorted(found)]


def save_checkpoint(
    output_dir: str | Path,
    step: int,
    model: Any,
    tokenizer: Any,
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    trainer_state: dict[str, Any],
    config: dict[str, Any],
    total_limit: int | None,
) -> Path:
    root = Path(output_dir)
    final = root / f"checkpoint-{step}"
    tmp = root / f".checkpoint-{step}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    torch.save(
        {
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "rng": rng_state(),
            "trainer": trainer_state,
        },
        tmp / STATE,
    )
    (tmp / "config.yaml.json").write_text(json.dumps(config, indent=1, default=str))
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    if total_limit is not None:
        for old in checkpoints(root)[:-total_limit] if total_limit > 0 else []:
            shutil.rmtree(old, ignore_errors=True)
    return final


def resolve_checkpoint(spec: str, output_dir: str | Path) -> Path:
    """The checkpoint ``spec`` names: a folder, or "latest" (the newest in ``output_dir``)."""
    if spec == "latest":
        found = checkpoints(output_dir)
        if not found:
            raise FileNotFoundError(f"resume_from_checkpoint=latest but {output_dir} holds no checkpoint")
        return found[-1]
    path = Path(spec)
    if not (path / STATE).exists():
        raise FileNotFoundError(f"{path} is not a checkpoint (no {STATE})")
    return path


def load_checkpoint(
    path: Path, model: Any, optimizer: torch.optim.Optimizer, scheduler: Any
) -> dict[str, Any]:
    """Restore everything saved in ``path``; returns the trainer state (step, data position, ...)."""
    from safetensors.torch import load_file

    state = read_state(path)  # first: a refused state file stops the resume before anything is loaded
    from .lora import is_peft, load_adapter

    if is_peft(model):  # a LoRA run saved its adapter only (its keys are not the model's state dict's)
        load_adapter(model, path)
        return _restore(state, optimizer, scheduler)
    weights: dict[str, torch.Tensor] = {}
    for f in sorted(path.glob("*.safetensors")):
        weights.update(load_file(str(f), device=str(next(model.parameters()).device)))
    missing, unexpected = model.load_state_dict(weights, strict=False)
    # tied weights (lm_head = embeddings) are saved once: a missing key is fine if it shares a loaded tensor
    current = model.state_dict()
    loaded = {current[k].data_ptr() for k in weights if k in current}
    missing = [k for k in missing if current[k].data_ptr() not in loaded]
    if missing or unexpected:
        raise RuntimeError(
            f"checkpoint {path} does not fit the model: missing {missing}, unexpected {unexpected}"
        )
    return _restore(state, optimizer, scheduler)


def _restore(state: dict[str, Any], optimizer: torch.optim.Optimizer, scheduler: Any) -> dict[str, Any]:
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    set_rng_state(state["rng"])
    return state["trainer"]
