"""smepo_data.guidance: the guided_prompt column `mask` writes, and that smepo-train renders the same layout
(both positions, prefix ratios) through a real chat template."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from smepo_data.audit import audit_dataset
from smepo_data.cli import main as cli_main
from smepo_data.guidance import guided_messages, line_prefix, shown_guidance
from smepo_data.pipeline import PipelineConfig, run

from .conftest import SAMPLES

GSM8K = str(SAMPLES / "gsm8k_sample.jsonl")
INTRO = "Here is an example solution:"
QUESTION = [{"role": "user", "content": "How many?  "}]
TRACE = "Step 1: add [NUMBER] and 3.\nStep 2: so [NUMBER] apples.\n#### [ANSWER]\n"


def test_assistant_turn_is_a_closed_turn_after_the_question():
    msgs = guided_messages(QUESTION, TRACE, position="assistant_turn")
    assert msgs == [
        {"role": "user", "content": "How many?  "},
        {"role": "assistant", "content": f"{INTRO}\n{TRACE.rstrip()}"},
    ]
    assert QUESTION == [{"role": "user", "content": "How many?  "}]  # the input is not changed


def test_user_position_appends_to_the_last_user_turn_after_a_blank_line():
    chat = [{"role": "system", "content": "Be brief."}, *QUESTION]
    msgs = guided_messages(chat, TRACE, position="user", intro="")
    assert msgs == [chat[0], {"role": "user", "content": f"How many?\n\n{TRACE.rstrip()}"}]


def test_prefix_ratio_counts_characters_and_cuts_back_to_a_line_boundary():
    # 60% of 70 characters = 42, inside line 2: cut back to the end of line 1
    assert len(TRACE) == 70
    shown = guided_messages(QUESTION, TRACE, prefix_ratio=0.6)[-1]["content"]
    assert shown == f"{INTRO}\nStep 1: add [NUMBER] and 3."
    assert line_prefix(TRACE, 0.6) == "Step 1: add [NUMBER] and 3.\n"
    assert line_prefix("one long line", 0.5) == "one lo"  # no line boundary before the cut: the raw cut


def test_no_trace_or_a_blank_prefix_leaves_the_prompt_unguided():
    assert guided_messages(QUESTION, None) == QUESTION
    assert guided_messages(QUESTION, "  \n\n") == QUESTION
    system = guided_messages(QUESTION, None, system_prompt="S")
    assert system == [{"role": "system", "content": "S"}, *QUESTION]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"position": "system"}, "guidance_position must be one of user, assistant_turn"),
        ({"prefix_ratio": 0}, "prefix_ratio must be a number in (0, 1]"),
        ({"prefix_ratio": 1.5}, "prefix_ratio must be a number in (0, 1]"),
        ({"prefix_ratio": "half"}, "prefix_ratio must be a number in (0, 1]"),
    ],
)
def test_bad_options_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("]", r"\]")):
        guided_messages(QUESTION, TRACE, **kwargs)


def test_a_prompt_without_a_user_turn_is_refused():
    with pytest.raises(ValueError, match="no user message"):
        guided_messages([{"role": "system", "content": "S"}], TRACE)


@pytest.mark.parametrize(
    "message",
    [{"role": "user", "content": None}, {"content": "q"}, {"role": "user", "content": ["q"]}, "q"],
)
def test_a_message_without_text_role_and_content_is_refused(message):
    """A None content was placed as the text "None"; a message without a role raised a bare KeyError."""
    with pytest.raises(ValueError, match="a chat message needs a text role and text content, got"):
        guided_messages([message], "step 1")


@pytest.mark.parametrize("position", ["user", "assistant_turn"])
@pytest.mark.parametrize("ratio", [1.0, 0.5])
def test_the_trainer_renders_exactly_the_guided_messages(position, ratio):
    """smepo-train's prompt == the chat template over guided_prompt with add_generation_prompt=True (what
    TRL's GRPOTrainer and verl's RLHFDataset do with a conversational prompt)."""
    pytest.importorskip("transformers")
    from smepo_train.data import load_samples
    from smepo_train.prompts import PromptBuilder

    from .train_support import TRAIN, tokenizer

    tok = tokenizer()
    builder = PromptBuilder(tok, guidance="masked", guidance_position=position, prefix_ratio=ratio)
    for sample in load_samples(str(TRAIN), limit=4):
        prompt = builder.build(sample.messages, sample.masked_trace)
        assert prompt.guidance and not prompt.budget_cut
        msgs = guided_messages(
            sample.messages, sample.masked_trace, position=position, prefix_ratio=ratio, tokenizer=tok
        )
        assert prompt.text == tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
        if ratio == 1.0:  # the whole trace: the character count and the token count agree
            assert msgs == guided_messages(sample.messages, sample.masked_trace, position=position)


@pytest.fixture(scope="module")
def masked_user_half(tmp_path_factory):
    out = tmp_path_factory.mktemp("guided")
    cfg = PipelineConfig(
        inputs=[GSM8K], output=str(out), preset="gsm8k", limit=6, guidance_position="user", prefix_ratio=0.5
    )
    run(cfg, overwrite=True)
    return out, pq.read_table(out / "data").to_pylist()


def test_mask_writes_guided_prompt_beside_the_bare_prompt(masked_user_half):
    _, rows = masked_user_half
    assert rows
    for row in rows:
        assert row["prompt"] == [{"role": "user", "content": row["question"]}]
        shown = line_prefix(row["masked_trace"], 0.5).rstrip()
        expected = f"{row['question'].rstrip()}\n\n{INTRO}\n{shown}"
        assert row["guided_prompt"] == [{"role": "user", "content": expected}]


def test_mask_defaults_to_the_release_layout_from_cli_and_yaml(tmp_path):
    out = tmp_path / "cli"
    assert (
        cli_main(["mask", GSM8K, "-o", str(out), "--format", "gsm8k", "--limit", "3", "--workers", "1", "-q"])
        == 0
    )
    rows = pq.read_table(out / "data").to_pylist()
    for row in rows:
        assert row["guided_prompt"] == [
            *row["prompt"],
            {"role": "assistant", "content": f"{INTRO}\n{row['masked_trace'].rstrip()}"},
        ]
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(
        f"preset: gsm8k\nlimit: 3\nguidance_position: user\nprefix_ratio: 0.5\ninputs: [{GSM8K}]\n"
    )
    cfg = PipelineConfig.from_yaml(pipeline, output=str(tmp_path / "yaml"))
    assert (cfg.guidance_position, cfg.prefix_ratio) == ("user", 0.5)
    flags = ["mask", "-o", str(tmp_path / "flags"), "--pipeline", str(pipeline), "--workers", "1", "-q"]
    assert cli_main([*flags, "--guidance-position", "assistant_turn", "--prefix-ratio", "1"]) == 0
    assert (
        pq.read_table(tmp_path / "flags" / "data").to_pylist()[0]["guided_prompt"] == rows[0]["guided_prompt"]
    )


def test_mask_refuses_a_bad_prefix_ratio(tmp_path):
    cfg = PipelineConfig(inputs=[GSM8K], output=str(tmp_path / "o"), preset="gsm8k", prefix_ratio=0.0)
    with pytest.raises(ValueError, match="prefix_ratio must be a number"):
        run(cfg)


def test_shown_guidance_reads_both_layouts_back():
    for position in ("user", "assistant_turn"):
        assert (
            shown_guidance(guided_messages(QUESTION, TRACE, position=position), "How many?") == TRACE.rstrip()
        )
        assert shown_guidance(guided_messages(QUESTION, None, position=position), "How many?  ") == ""
    assert shown_guidance([{"role": "user", "content": "Another question\n\nx"}], "How many?") is None
    assert shown_guidance("not a chat", "q") is None


def test_the_audit_attacks_a_guided_prompt_that_shows_more_than_the_masked_trace(masked_user_half, tmp_path):
    out, rows = masked_user_half
    report = audit_dataset(out)
    (group,) = report.groups.values()
    assert group.rows == len(rows) and group.leaks == 0
    assert group.damage["guided_prompt not the masked trace"] == 0
    # a tampered export: guided_prompt shows the original trace (the answer with it)
    tampered = tmp_path / "tampered.jsonl"
    with tampered.open("w") as f:
        for row in rows:
            content = f"{row['question'].rstrip()}\n\n{INTRO}\n{row['trace']}"
            f.write(json.dumps(row | {"guided_prompt": [{"role": "user", "content": content}]}) + "\n")
    (group,) = audit_dataset(tampered, preset="smepo_data").groups.values()
    assert group.damage["guided_prompt not the masked trace"] == len(rows)
    assert group.leaks == len(rows)
