"""benchmarks/ablation.py in its dry-run mode: the task rows and their masking, the character tokenizer,
and the whole pipeline (warm-up, the three arms through smepo_train's trainer, table, JSON, plot)."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("matplotlib")

from .train_support import ROOT, one_thread  # noqa: E402, F401  (the fixture)

pytestmark = pytest.mark.usefixtures("one_thread")


def ablation():
    spec = importlib.util.spec_from_file_location("smepo_ablation", ROOT / "benchmarks" / "ablation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_rows_are_seeded_worked_and_masked():
    ab = ablation()
    rows = ab.make_rows(20, 3)
    assert rows == ab.make_rows(20, 3)
    held_out = ab.make_rows(10, 4, exclude={r["abc"] for r in rows})
    assert not {r["abc"] for r in rows} & {r["abc"] for r in held_out}
    for r in rows:
        a, b, c = r["abc"]
        assert r["answer"] == str((a + b) * c)
        assert r["trace"] == f"{a} + {b} = {a + b}\n{a + b} * {c} = {r['answer']}\n#### {r['answer']}"
        # the masker hid the answer line and every derived value
        assert r["masked_trace"].endswith("#### [NUMBER]") and r["answer"] not in r["masked_trace"]


def test_char_tokenizer_round_trips_and_templates():
    tok = ablation().char_tokenizer()
    text = "3 + 8 = 11\n11 * 4 = 44\n#### 44"
    ids = tok(text, add_special_tokens=False)["input_ids"]
    assert len(ids) == len(text) and tok.decode(ids) == text
    prompt = tok.apply_chat_template(
        [{"role": "user", "content": "hi"}], tokenize=False, add_generation_prompt=True
    )
    assert prompt == "<|user|>hi<|end|><|assistant|>"
    assert tok(prompt, add_special_tokens=False)["input_ids"][-1] == tok.convert_tokens_to_ids(
        "<|assistant|>"
    )


def test_dry_run_writes_table_json_and_plot(tmp_path):
    per_seed = ablation().main(["--dry-run", "--seeds", "0", "1", "--out", str(tmp_path)], log=lambda _: None)
    assert list(per_seed) == [0, 1]
    for results in per_seed.values():
        assert list(results) == ["none", "full", "masked"]
        assert all([p["step"] for p in points] == [0, 1, 2] for points in results.values())
        # every arm of a seed starts from the same warm model: the same step-0 evaluation
        assert len({json.dumps(points[0]) for points in results.values()}) == 1
    record = json.loads((tmp_path / "ablation.json").read_text())
    assert record["seeds"] == {str(s): runs for s, runs in per_seed.items()}
    for arm in ("none", "full", "masked"):
        for i, point in enumerate(record["mean"][arm]):
            runs = [per_seed[s][arm][i] for s in (0, 1)]
            assert point["eval_reward"] == pytest.approx(sum(r["eval_reward"] for r in runs) / 2)
    md = (tmp_path / "ablation.md").read_text()
    rows = [line for line in md.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [row.split(" | ")[0] for row in rows] == ["| none", "| full", "| masked"]
    assert "seeds 0, 1" in md
    assert (tmp_path / "ablation.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
