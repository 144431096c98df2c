"""A third-party domain (tests/plugin_domain: unit conversions) registered through the ``smepo.domains``
entry point goes through mask, audit, report, publish --dry-run, the rewards, smepo-eval and a trainer step
with no edit inside smepo_data or smepo_train. The package is made importable the way pip would: its folder
on ``sys.path`` and a ``.dist-info`` whose entry_points.txt is the one its pyproject.toml declares."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import polars as pl
import pytest

from smepo_data import _domains
from smepo_data.cli import main as smepo_data_main

from .train_support import one_thread  # noqa: F401  (a fixture)

PLUGIN = Path(__file__).parent / "plugin_domain"
ROWS = [
    {"id": "u1", "question": "How many m are in 3 km?", "solution": "1 km = 1000 m, so 3 * 1000 = 3000.\n"
     "The answer is 3000 m", "answer": "3000 m"},
    {"id": "u2", "question": "How many g are in 2.5 kg?", "solution": "1 kg = 1000 g, so 2.5 * 1000 = 2500.\n"
     "The answer is 2500 g", "answer": "2500 g"},
    {"id": "u3", "question": "How many min are in 4 h?", "solution": "1 h = 60 min, so 4 * 60 = 240.\n"
     "The answer is 240 min", "answer": "240 min"},
    {"id": "u4", "question": "How many cm are in 7 m?", "solution": "1 m = 100 cm, so 7 * 100 = 700.\n"
     "The answer is 700 cm", "answer": "700 cm"},
]  # fmt: skip


def _clear_registry() -> None:
    for cached in (_domains.domain_specs, _domains.span_kinds, _domains.all_presets, _domains.get_domain):
        cached.cache_clear()


@pytest.fixture
def units(tmp_path, monkeypatch):
    """The units domain installed for this test only; the registry forgets it afterwards."""
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text())["project"]
    dist = tmp_path / "site" / f"smepo_units-{project['version']}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    points = project["entry-points"]["smepo.domains"]
    (dist / "entry_points.txt").write_text(
        "[smepo.domains]\n" + "".join(f"{k} = {v}\n" for k, v in points.items())
    )
    monkeypatch.syspath_prepend(str(PLUGIN))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    _clear_registry()
    data = tmp_path / "units.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    yield data
    monkeypatch.undo()
    for name in [m for m in sys.modules if m == "smepo_units" or m.startswith("smepo_units.")]:
        del sys.modules[name]
    _clear_registry()


def test_the_registry_lists_the_plugin_after_the_bundled_domains(units):
    from smepo_data.row_domain import domain_from_names, guess_domain

    assert list(_domains.DOMAINS) == ["math", "code", "search", "units"]
    assert guess_domain("3000 m") == "units" and guess_domain("72") == "math"
    assert guess_domain('{"answers": ["Paris"]}') == "search"
    assert domain_from_names("unit conversion") == "units"
    assert _domains.span_kinds()["factor"].placeholder == "[FACTOR]"
    assert _domains.find_preset("units").domain == "units"
    assert _domains.guess_preset(ROWS[0]) == "units"  # the plugin's preset takes part in --format auto
    assert _domains.guess_preset({"problem": "p", "solution": "s"}) == "math"  # a bundled one goes first


def test_mask_audit_report_publish(units, tmp_path, capsys):
    out = tmp_path / "out"
    assert smepo_data_main(["mask", str(units), "-o", str(out), "--format", "units", "--workers", "1"]) == 0
    rows = {r["id"]: r for r in pl.read_parquet(out / "data").to_dicts()}
    assert set(rows) == {"u1", "u2", "u3", "u4"}
    first = rows["u1"]
    assert first["mask_level"] == "factors" and first["ability"] == "units"
    # the factor after '*' hidden as the plugin's [FACTOR], the answer disguised as any number
    assert first["masked_trace"] == "1 km = 1000 m, so 3 * [FACTOR] = [NUMBER].\nThe answer is [NUMBER] m"
    assert all(
        str(int(float(src["answer"].split()[0]))) not in rows[src["id"]]["masked_trace"] for src in ROWS
    )

    report_json = tmp_path / "audit.json"
    assert smepo_data_main(["audit", str(out), "-q", "--json", str(report_json), "--fail-on-leak"]) == 0
    audit = json.loads(report_json.read_text())
    [group] = audit["groups"]
    assert (group["domain"], group["audited"], group["leaks"]) == ("units", 4, 0)
    assert group["placeholders"] == {"[NUMBER]": 8, "[FACTOR]": 4}

    page = tmp_path / "report.html"
    assert smepo_data_main(["report", str(out), "-o", str(page)]) == 0
    assert "#c7e9f1" in page.read_text()  # the plugin's colour for its own span kind

    hub = tmp_path / "hub"
    argv = ["publish", str(out), "--repo-id", "me/units", "--dry-run", "--folder", str(hub)]
    assert smepo_data_main(argv) == 0
    card = (hub / "README.md").read_text()
    assert "question-answering" in card and "the answer plus every conversion factor" in card
    assert list((hub / "data").glob("units/*.parquet"))


def test_rewards_use_the_plugin_verifier(units):
    from smepo_data.rewards import compute_score, domain_reward

    assert compute_score("smepo-tests/units", "3 * 1000 = 3000 m", "3000 m") == 1.0
    assert compute_score("smepo-tests/units", "3 * 1000 = 3000 cm", "3000 m") == 0.0
    assert domain_reward(["so 240 min", "so 24 min"], answer=["240 min", "240 min"]) == [1.0, 0.0]


@pytest.mark.slow
def test_smepo_eval_and_a_trainer_step(units, tmp_path, one_thread):  # noqa: F811
    """smepo-eval scores a tiny model on the masked run; one GRPO step trains on it with the plugin's
    verifier as the reward."""
    import torch

    from smepo_train import GRPOTrainer
    from smepo_train.data import load_samples
    from smepo_train.eval_cli import main as smepo_eval_main
    from smepo_train.model import build_model
    from smepo_train.rewards import domain_reward

    from .train_support import quiet, tiny_config, tokenizer

    out = tmp_path / "out"
    assert smepo_data_main(["mask", str(units), "-o", str(out), "--format", "units", "--workers", "1"]) == 0
    samples = load_samples(str(out))
    assert {s.domain for s in samples} == {"units"}
    assert [domain_reward(f"so {s.answer}", s) for s in samples] == [1.0] * 4
    assert domain_reward("so 1 m", samples[0]) == 0.0

    model = tmp_path / "tiny"
    tok = tokenizer()
    build_model(tiny_config(model), tok, torch.device("cpu"), torch.float32).save_pretrained(model)
    tok.save_pretrained(model)
    argv = [str(model), str(out), "-o", str(tmp_path / "eval"), "--k", "2", "--max-new-tokens", "4", "-q"]
    assert smepo_eval_main(argv) == 0
    summary = json.loads((tmp_path / "eval" / "summary.json").read_text())
    assert json.dumps(summary).count('"rows": 4') >= 1

    cfg = tiny_config(tmp_path, train_file=str(out), max_steps=1, per_device_train_batch_size=4)
    logs = GRPOTrainer(cfg, log=quiet).train()
    assert logs and all(0.0 <= entry.get("reward", 0.0) <= 1.0 for entry in logs)
