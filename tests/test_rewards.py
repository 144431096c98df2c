"""smepo_data.rewards on real rows of each domain (the bundled samples): verl's compute_score and the TRL
reward functions score right, wrong and malformed completions with the domain verifiers, and smepo-train's
domain reward is the same function."""

from __future__ import annotations

import json

import numpy as np
import pytest

from smepo_data._domains import find_preset
from smepo_data.code.sandbox import SandboxError
from smepo_data.rewards import compute_score, domain_reward, gold_text, search_f1_reward

from .conftest import SAMPLES


def example(preset: str, file: str, index: int = 0):
    path = SAMPLES / file
    text = path.read_text()
    rows = [json.loads(line) for line in text.splitlines()] if file.endswith(".jsonl") else json.loads(text)
    return find_preset(preset).to_example(rows[index], source=str(path), index=index, max_chars=200_000)


MALFORMED = ["", "\\boxed{", "```python\n", "<answer>", "\x00\ud800 }{ ####", "```python\ndef (:\n```"]


def test_math_gsm8k_rows():
    ex = example("gsm8k", "gsm8k_sample.jsonl")  # Natalia's clips: 72
    assert ex.answer == "72"
    source = find_preset("gsm8k").data_source
    assert compute_score(source, ex.trace, ex.answer) == 1.0
    assert compute_score(source, "She sold 48 + 24 = 72 clips.\nThe answer is \\boxed{72}", "72") == 1.0
    assert compute_score(source, ex.trace.replace("#### 72", "#### 71"), ex.answer) == 0.0
    for bad in MALFORMED:
        assert compute_score(source, bad, ex.answer) == 0.0


def test_math_500_rows_equivalent_forms():
    ex = example("math", "math500_sample.jsonl")
    assert ex.answer == r"\left( 3, \frac{\pi}{2} \right)"
    assert compute_score("hendrycks/MATH", ex.trace, ex.answer) == 1.0
    assert compute_score("hendrycks/MATH", r"So it is $\boxed{(3, \pi/2)}$.", ex.answer) == 1.0
    assert compute_score("hendrycks/MATH", r"So it is $\boxed{(3, \pi)}$.", ex.answer) == 0.0
    for bad in MALFORMED:
        assert compute_score("hendrycks/MATH", bad, ex.answer) == 0.0


@pytest.mark.parametrize(
    ("preset", "file"), [("humaneval", "humaneval_sample.jsonl"), ("mbpp", "mbpp_sample.json")]
)
def test_code_rows_run_the_sandboxed_tests(preset, file):
    ex = example(preset, file)
    source = find_preset(preset).data_source
    try:
        right = compute_score(source, ex.trace, ex.answer)
    except SandboxError as e:  # a host where no program can run: the reward refuses rather than scoring 0
        pytest.skip(f"no code sandbox here: {e}")
    assert right == 1.0
    code = ex.trace[ex.trace.index("```") :]
    wrong = code.replace("return", "return None  #", 1)
    assert compute_score(source, f"Here it is:\n{wrong}", ex.answer) == 0.0
    for bad in MALFORMED:
        assert compute_score(source, bad, ex.answer) == 0.0
    with pytest.raises(ValueError, match="the tests are not JSON"):
        compute_score(source, ex.trace, "not a spec")


@pytest.mark.parametrize(
    ("preset", "file"), [("hotpotqa", "hotpotqa_sample.jsonl"), ("searchr1", "searchr1_sample.jsonl")]
)
def test_search_rows_exact_match(preset, file):
    ex = example(preset, file)
    source = find_preset(preset).data_source
    assert compute_score(source, ex.trace, ex.answer) == 1.0
    gold = json.loads(ex.answer)["answers"][0]
    assert (
        compute_score(source, f"<think>found it</think>\n<answer> {gold.upper()} </answer>", ex.answer) == 1.0
    )
    assert compute_score(source, "<answer> Berlin </answer>", ex.answer) == 0.0
    for bad in MALFORMED:
        assert compute_score(source, bad, ex.answer) == 0.0
    # Search-R1's own verl rows keep the gold as {"target": [...]}
    assert compute_score(source, f"<answer>{gold}</answer>", {"target": [gold]}) == 1.0


def test_the_domain_comes_from_ability_then_data_source_then_the_gold():
    search_gold = json.dumps({"answers": ["72"]})
    math_says = r"The answer is \boxed{72}."
    search_says = "<answer>72</answer>"
    # the ability decides first: a search row scored as search even with a math data source
    assert compute_score("openai/gsm8k", search_says, search_gold, {"ability": "search"}) == 1.0
    assert compute_score("openai/gsm8k", math_says, "72", {"ability": "math"}) == 1.0
    # no ability: the data source's keywords (gsm8k -> math: a bare <answer> tag is no math answer here)
    assert compute_score("openai/gsm8k", math_says, "72") == 1.0
    # neither names one: the gold's shape ({"answers": ...} is search)
    assert compute_score("someone/unknown", search_says, search_gold) == 1.0
    assert compute_score(None, math_says, "72", {"index": 3}) == 1.0


def test_bad_gold_and_completion_inputs_are_refused_clearly():
    with pytest.raises(ValueError, match="no ground truth"):
        compute_score("openai/gsm8k", "72", None)
    with pytest.raises(TypeError, match="a completion is text or a list of chat messages"):
        domain_reward([42], reward_model=[{"ground_truth": "72"}])
    with pytest.raises(ValueError, match="no gold answer: the dataset needs a reward_model"):
        domain_reward(["72"], data_source=["openai/gsm8k"])
    with pytest.raises(ValueError, match="expected one value per completion"):
        domain_reward(["72", "71"], ground_truth=["72"])
    # a reward_model stored as a JSON string (not a mapping) is named, not just "no gold answer"
    with pytest.raises(
        ValueError, match=r"no gold answer: .* \(its reward_model is '\{\"ground_truth\": \"72\"\}'\)"
    ):
        domain_reward(["72"], reward_model=['{"ground_truth": "72"}'])
    assert gold_text({"answers": ["a"]}) == '{"answers": ["a"]}'


def test_trl_reward_functions_read_the_masked_columns():
    math = example("gsm8k", "gsm8k_sample.jsonl")
    search = example("hotpotqa", "hotpotqa_sample.jsonl")
    gold = json.loads(search.answer)["answers"][0]
    columns = {  # as TRL passes them: one value per completion, our output's column names
        "prompts": [[{"role": "user", "content": "q"}]] * 4,
        "completion_ids": [[1]] * 4,
        "data_source": ["openai/gsm8k", "openai/gsm8k", "hotpotqa/hotpot_qa", "hotpotqa/hotpot_qa"],
        "ability": ["math", "math", "search", "search"],
        "reward_model": [{"style": "rule", "ground_truth": a} for a in (math.answer, math.answer)]
        + [{"style": "rule", "ground_truth": search.answer}] * 2,
        "trainer_state": object(),
    }
    completions = [
        [{"role": "assistant", "content": "48 + 24 = 72\n#### 72"}],  # conversational
        "#### 70",  # plain text
        [{"role": "assistant", "content": [{"type": "text", "text": f"<answer>{gold}</answer>"}]}],
        f"<answer>{gold.split()[0]}</answer>",
    ]
    assert domain_reward(completions, **columns) == [1.0, 0.0, 1.0, 0.0]
    f1 = search_f1_reward(completions, **columns)
    assert f1[:3] == [0.0, 0.0, 1.0] and 0.0 < f1[3] < 1.0


def test_smepo_train_scores_with_the_same_function():
    pytest.importorskip("torch")
    from smepo_train.data import to_sample
    from smepo_train.rewards import domain_reward as train_reward

    ex = example("gsm8k", "gsm8k_sample.jsonl")
    row = {"question": ex.question, "answer": ex.answer, "data_source": "openai/gsm8k"}
    sample = to_sample(row, 0)
    for completion in (ex.trace, "#### 71", ""):
        assert train_reward(completion, sample) == compute_score("openai/gsm8k", completion, ex.answer)


def test_verl_loads_compute_score_from_the_file_path():
    """verl's get_custom_reward_fn: spec_from_file_location("custom_module", path), outside the package."""
    import importlib.util

    import smepo_data.rewards

    spec = importlib.util.spec_from_file_location("custom_module", smepo_data.rewards.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ex = example("gsm8k", "gsm8k_sample.jsonl")
    extra_info = {"index": 0, "split": "train", "id": ex.id, "source": "x", "teacher_ds": "masked"}
    score = module.compute_score(
        data_source="openai/gsm8k", solution_str=ex.trace, ground_truth=ex.answer, extra_info=extra_info
    )
    assert score == 1.0
    assert module.compute_score("openai/gsm8k", "#### 5", ex.answer, extra_info) == 0.0


def test_golds_as_pandas_reads_parquet():
    """verl reads Parquet with pandas: golds come back as numpy arrays and scalars, a missing one as NaN."""
    # Search-R1's {"target": [...]} with the list as a numpy array: its answers, not one nested list
    assert (
        gold_text({"target": np.array(["Paris", "Paris, France"])})
        == '{"answers": ["Paris", "Paris, France"]}'
    )
    assert compute_score("nq", "<answer>Paris</answer>", {"target": np.array(["Paris"])}) == 1.0
    rows = {"reward_model": [{"ground_truth": {"target": np.array(["Paris"])}}], "data_source": ["nq"]}
    assert domain_reward(["<answer>Paris</answer>"], **rows) == [1.0]
    assert compute_score("openai/gsm8k", r"\boxed{72}", np.int64(72)) == 1.0
    # a missing gold is refused, never scored (a completion saying "nan" matched the gold "NaN")
    for missing in (float("nan"), np.float32("nan"), np.float64("nan")):
        with pytest.raises(ValueError, match="no ground truth: the gold answer is NaN"):
            compute_score("openai/gsm8k", r"\boxed{nan}", missing)
    with pytest.raises(ValueError, match="not a number the verifiers can read"):
        compute_score("openai/gsm8k", r"\boxed{\infty}", float("inf"))
    # a column handed over as a numpy array is read as its values
    assert domain_reward([r"\boxed{72}"], answer=np.array(["72"])) == [1.0]


def test_search_f1_is_the_verifiers_partial_credit_and_zero_without_one():
    from smepo_data.rewards import score, search_f1

    math = example("gsm8k", "gsm8k_sample.jsonl")
    search = example("hotpotqa", "hotpotqa_sample.jsonl")
    gold = json.loads(search.answer)["answers"][0]
    # math and code verifiers give no partial credit: 0.0 even where the binary reward is 1.0
    assert score("math", "#### 72", math.answer) == 1.0 and search_f1("math", "#### 72", math.answer) == 0.0
    spec = json.dumps({"tests": "assert f() == 1", "entry_point": "f"})
    assert search_f1("code", "```python\ndef f():\n    return 1\n```", spec) == 0.0
    assert search_f1("search", f"<answer>{gold}</answer>", search.answer) == 1.0
    partial = search_f1("search", f"<answer>{gold.split()[0]} extra words</answer>", search.answer)
    assert 0.0 < partial < 1.0
