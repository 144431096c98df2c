"""smepo_train.prompts with the real SmolLM2 tokenizer on masked GSM8K rows: guidance modes, the token
budget (question never cut, trace cut at a line boundary) and other chat templates."""

from __future__ import annotations

import copy

import pytest

pytest.importorskip("transformers")

from smepo_train.data import load_samples  # noqa: E402
from smepo_train.prompts import PromptBuilder, PromptTooLong, line_prefix  # noqa: E402

from .train_support import TRAIN, tokenizer  # noqa: E402

INTRO = "Here is an example solution:"


@pytest.fixture(scope="module")
def sample():
    # row 0: Natalia's clips; the masked trace hides 24 and 72
    return load_samples(str(TRAIN))[0]


def builder(**kw):
    return PromptBuilder(tokenizer(), **kw)


def test_none_is_the_plain_chat_template(sample):
    p = builder(guidance="none").build(sample.messages, sample.trace("none"))
    expected = tokenizer().apply_chat_template(sample.messages, tokenize=False, add_generation_prompt=True)
    assert p.text == expected and p.guidance == ""
    assert p.text.endswith("<|im_start|>assistant\n")
    assert p.ids == tokenizer()(expected, add_special_tokens=False)["input_ids"]


def test_full_shows_the_original_trace_in_the_user_turn(sample):
    p = builder(guidance="full").build(sample.messages, sample.trace("full"))
    user_turn = f"<|im_start|>user\n{sample.question}\n\n{INTRO}\n{sample.full_trace.rstrip()}<|im_end|>\n"
    assert user_turn in p.text
    assert "#### 72" in p.text and p.text.endswith("<|im_start|>assistant\n")


def test_masked_shows_the_masked_trace_and_not_the_answer(sample):
    p = builder(guidance="masked").build(sample.messages, sample.trace("masked"))
    assert f"{INTRO}\n{sample.masked_trace.rstrip()}" in p.text
    # the trace ends in the hidden answer
    assert p.text.rstrip().split("<|im_end|>")[-2].endswith("#### [NUMBER]")
    assert "72" not in p.text and "24" not in p.text.replace(sample.question, "")


def test_prefix_ratio_counts_tokens_and_cuts_back_to_a_line_boundary(sample):
    tok = tokenizer()
    trace = sample.full_trace
    p = builder(guidance="full", prefix_ratio=0.6).build(sample.messages, trace)
    shown = p.guidance.removeprefix(INTRO + "\n")
    ids = tok(trace, add_special_tokens=False)["input_ids"]
    token_cut = len(tok.decode(ids[: int(len(ids) * 0.6)]))  # 60% of the tokens, as characters
    expected = trace[: trace.rfind("\n", 0, token_cut + 1) + 1]
    assert expected.endswith("\n") and len(expected) <= token_cut + 1
    assert shown == expected.rstrip() and trace.startswith(shown + "\n")
    # by characters the same ratio would cut elsewhere: the count is over tokens
    assert token_cut != int(len(trace) * 0.6)


def test_line_prefix():
    assert line_prefix("a\nbb\nccc", 1.0) == "a\nbb\nccc"
    assert line_prefix("a\nbb\nccc", 0.5) == "a\nbb\n"  # cut at 4, on the second newline: kept
    assert line_prefix("a\nbb\nccc", 0.4) == "a\n"  # cut at 3, inside "bb": back to the first newline
    assert line_prefix("abcdef\ng", 0.5) == "abcd"  # inside the first line: the raw cut is kept


def test_a_single_line_trace_keeps_its_raw_token_cut(sample):
    tok = tokenizer()
    line = " ".join(f"step{i} adds {i} apples" for i in range(40))  # one long line, no newline
    ids = tok(line, add_special_tokens=False)["input_ids"]
    p = builder(guidance="full", prefix_ratio=0.5).build(sample.messages, line)
    shown = p.guidance.removeprefix(INTRO + "\n")
    assert shown == tok.decode(ids[: len(ids) // 2]).rstrip() and len(shown) > len(line) // 3
    assert line.startswith(shown)
    # under a prompt budget too small for the whole line, it is cut by tokens rather than dropped
    bare = builder(guidance="none").build(sample.messages, None)
    q = builder(guidance="full", max_prompt_length=len(bare.ids) + 40).build(sample.messages, line)
    assert q.budget_cut and q.guidance and len(q.ids) <= len(bare.ids) + 40
    assert line.startswith(q.guidance.removeprefix(INTRO + "\n"))


def test_budget_cuts_the_trace_never_the_question(sample):
    bare = builder(guidance="none").build(sample.messages, None)
    full = builder(guidance="full").build(sample.messages, sample.full_trace)
    budget = (len(bare.ids) + len(full.ids)) // 2
    p = builder(guidance="full", max_prompt_length=budget).build(sample.messages, sample.full_trace)
    assert len(p.ids) <= budget and p.budget_cut
    assert sample.question in p.text
    shown = p.guidance.removeprefix(INTRO + "\n")
    assert shown and sample.full_trace.startswith(shown + "\n")  # a whole number of lines
    # the longest such prefix: one more line would not fit
    lines = sample.full_trace.splitlines(keepends=True)
    kept = len(shown.splitlines())
    longer = "".join(lines[: kept + 1])
    over = builder(guidance="full", max_prompt_length=10**6).render(sample.messages, f"{INTRO}\n{longer}")
    assert len(over.ids) > budget


def test_budget_too_small_for_any_line_drops_guidance(sample):
    bare = builder(guidance="none").build(sample.messages, None)
    p = builder(guidance="masked", max_prompt_length=len(bare.ids) + 3).build(
        sample.messages, sample.masked_trace
    )
    assert p.guidance == "" and p.budget_cut and p.ids == bare.ids


def test_question_over_budget_is_refused(sample):
    bare = builder(guidance="none").build(sample.messages, None)
    with pytest.raises(PromptTooLong, match="question alone"):
        builder(guidance="masked", max_prompt_length=len(bare.ids) - 1).build(
            sample.messages, sample.masked_trace
        )


LLAMA3_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n"
    "{{ m['content'] | trim }}<|eot_id|>{% endfor %}"
    "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
)


def test_any_chat_template(sample):
    tok = copy.deepcopy(tokenizer())
    tok.chat_template = LLAMA3_TEMPLATE
    b = PromptBuilder(tok, guidance="masked", system_prompt="Think step by step.")
    p = b.build(sample.messages, sample.masked_trace)
    assert p.text.startswith(
        f"{tok.bos_token}<|start_header_id|>system<|end_header_id|>\n\nThink step by step.<|eot_id|>"
        f"<|start_header_id|>user<|end_header_id|>\n\n{sample.question}\n\n{INTRO}\n"
    )
    assert p.text.endswith("#### [NUMBER]<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
    assert "<|im_start|>user" not in p.text and "<|im_end|>" not in p.text
    tok.chat_template = None
    with pytest.raises(ValueError, match="no chat template"):
        PromptBuilder(tok)


GEMMA_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}"
    "{% set role = 'model' if m['role'] == 'assistant' else m['role'] %}"
    "<start_of_turn>{{ role }}\n{{ m['content'] | trim }}<end_of_turn>\n{% endfor %}"
    "{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)


def test_assistant_turn_chatml(sample):
    p = builder(guidance="masked", guidance_position="assistant_turn").build(
        sample.messages, sample.masked_trace
    )
    trace = sample.masked_trace.rstrip()
    assert f"<|im_start|>user\n{sample.question}<|im_end|>\n" in p.text  # the question alone in its turn
    assert p.text.endswith(f"<|im_start|>assistant\n{INTRO}\n{trace}<|im_end|>\n<|im_start|>assistant\n")
    assert p.text.count("<|im_start|>assistant") == 2 and p.guidance == f"{INTRO}\n{trace}"


@pytest.mark.parametrize(
    ("template", "closed_turn", "header"),
    [
        (
            LLAMA3_TEMPLATE,
            "<|start_header_id|>assistant<|end_header_id|>\n\n{g}<|eot_id|>",
            "<|start_header_id|>assistant<|end_header_id|>\n\n",
        ),
        (GEMMA_TEMPLATE, "<start_of_turn>model\n{g}<end_of_turn>\n", "<start_of_turn>model\n"),
    ],
    ids=["llama3", "gemma"],
)
def test_assistant_turn_through_other_chat_templates(sample, template, closed_turn, header):
    tok = copy.deepcopy(tokenizer())
    tok.chat_template = template
    b = PromptBuilder(tok, guidance="masked", guidance_position="assistant_turn")
    p = b.build(sample.messages, sample.masked_trace)
    g = f"{INTRO}\n{sample.masked_trace.strip()}"
    assert p.text.endswith(closed_turn.format(g=g) + header)
    assert sample.question in p.text and f"{sample.question}\n\n{INTRO}" not in p.text  # not in the user turn
    # no ChatML tail (this tokenizer's bos_token happens to be <|im_start|>)
    assert "<|im_start|>assistant" not in p.text and "<|im_end|>" not in p.text
    assert p.ids == tok(p.text, add_special_tokens=False)["input_ids"]
    # the budget still holds: one token short of the whole trace, its last line goes
    cut = PromptBuilder(
        tok, guidance="masked", guidance_position="assistant_turn", max_prompt_length=len(p.ids) - 1
    ).build(sample.messages, sample.masked_trace)
    assert cut.budget_cut and cut.guidance and len(cut.ids) < len(p.ids)
    assert g.startswith(cut.guidance) and "#### [NUMBER]" not in cut.guidance
    assert cut.text.endswith(header)


def test_chat_template_kwargs_reach_the_template(sample):
    tok = copy.deepcopy(tokenizer())
    tok.chat_template = GEMMA_TEMPLATE.replace(
        "<start_of_turn>model\n{% endif %}",
        "<start_of_turn>model\n{% if not thinking %}<think></think>{% endif %}{% endif %}",
    )
    off = PromptBuilder(tok, guidance="none", chat_template_kwargs={"thinking": False}).build(
        sample.messages, None
    )
    on = PromptBuilder(tok, guidance="none", chat_template_kwargs={"thinking": True}).build(
        sample.messages, None
    )
    assert off.text.endswith("<start_of_turn>model\n<think></think>") and on.text.endswith(
        "<start_of_turn>model\n"
    )
