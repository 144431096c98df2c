from __future__ import annotations

import json
from pathlib import Path

import pytest

from smepo_data import Example
from smepo_data._domains import find_preset

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "examples" / "data"
CASES_FILE = Path(__file__).parent / "data" / "math_cases.jsonl"


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def example_from(row: dict, corpus: str) -> Example:
    preset = find_preset("gsm8k" if corpus == "gsm8k" else "math")
    return preset.to_example(row, source=corpus, index=row.get("row", 0))


CASES = {row["case"]: example_from(row, row["corpus"]) for row in load_jsonl(CASES_FILE)}


@pytest.fixture(scope="session")
def cases() -> dict[str, Example]:
    """Real GSM8K / MATH-500 rows keyed by the construct they exercise (tests/data/math_cases.jsonl)."""
    return CASES


@pytest.fixture(scope="session")
def gsm8k_sample() -> list[Example]:
    return [example_from(r, "gsm8k") for r in load_jsonl(SAMPLES / "gsm8k_sample.jsonl")]


@pytest.fixture(scope="session")
def math_sample() -> list[Example]:
    return [example_from(r, "math") for r in load_jsonl(SAMPLES / "math500_sample.jsonl")]


#: the bundled samples masked by our pipeline, one OUT_DIR each: name -> (file, preset)
SAMPLE_RUNS = {
    "gsm8k": ("gsm8k_sample.jsonl", "gsm8k"),
    "math500": ("math500_sample.jsonl", "math"),
    "humaneval": ("humaneval_sample.jsonl", "humaneval"),
    "mbpp": ("mbpp_sample.json", "mbpp"),
    "hotpotqa": ("hotpotqa_sample.jsonl", "hotpotqa"),
}


@pytest.fixture(scope="session")
def masked_outputs(tmp_path_factory) -> dict[str, Path]:
    """Our masked GSM8K, MATH-500, HumanEval, MBPP and HotpotQA samples: name -> OUT_DIR (~20 s once)."""
    from smepo_data.pipeline import PipelineConfig, run

    root = tmp_path_factory.mktemp("masked")
    outs = {}
    for name, (file, preset) in SAMPLE_RUNS.items():
        run(PipelineConfig(inputs=[str(SAMPLES / file)], output=str(root / name), preset=preset))
        outs[name] = root / name
    return outs


def pytest_collection_modifyitems(config, items):
    """The slow tests first (the order is otherwise kept): with two test processes (``./dev test``), the
    real model's minute-long step started last would leave one process running it alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
