"""Resuming never executes code from a checkpoint: ``trainer_state.pt`` is read with
``weights_only=True``; the RNG and data-position state it holds are tensors and plain data."""

from __future__ import annotations

import os
import pickle
import random

import pytest

torch = pytest.importorskip("torch")
np = pytest.importorskip("numpy")

from smepo_train.checkpoint import (  # noqa: E402
    STATE,
    UnsafeCheckpoint,
    load_checkpoint,
    resolve_checkpoint,
    save_checkpoint,
)


class _Model(torch.nn.Linear):
    def save_pretrained(self, folder):
        from safetensors.torch import save_file

        save_file(self.state_dict(), str(folder / "model.safetensors"))


class _Tokenizer:
    def save_pretrained(self, folder):
        (folder / "tokenizer.json").write_text("{}")


def _parts():
    model = _Model(3, 2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda update: 1.0 / (update + 1))
    return model, optimizer, scheduler


def _save(tmp_path):
    model, optimizer, scheduler = _parts()
    model(torch.ones(1, 3)).sum().backward()
    optimizer.step()
    scheduler.step()
    state = {"step": 3, "epoch": 1, "cursor": 5, "skipped": 0}
    return save_checkpoint(tmp_path, 3, model, _Tokenizer(), optimizer, scheduler, state, {}, None)


class _Planted:
    """Unpickling this runs ``os.system``: what a planted trainer_state.pt would do."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_pickle_in_trainer_state_is_refused_and_never_run(tmp_path):
    path = _save(tmp_path)
    marker = tmp_path / "pwned"
    with (path / STATE).open("wb") as f:
        pickle.dump({"trainer": _Planted(marker)}, f, protocol=2)  # torch.save's protocol
    with pytest.raises(UnsafeCheckpoint, match="refused, nothing in it was run"):
        load_checkpoint(resolve_checkpoint("latest", tmp_path), *_parts())
    assert not marker.exists()


def test_resume_restores_every_rng_and_the_data_position(tmp_path):
    random.seed(1)
    np.random.seed(2)
    torch.manual_seed(3)
    path = _save(tmp_path)
    expected = (random.random(), np.random.rand(), torch.rand(1).item())
    random.seed(9)
    np.random.seed(9)
    torch.manual_seed(9)
    model, optimizer, scheduler = _parts()
    state = load_checkpoint(path, model, optimizer, scheduler)
    assert state == {"step": 3, "epoch": 1, "cursor": 5, "skipped": 0}
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == expected
    assert scheduler.last_epoch == 1 and optimizer.state_dict()["state"][0]["step"].item() == 1
