"""Where masked rows come from: the license and attribution a published dataset carries over, by
``data_source`` (the value our presets write; see each domain's ``presets.py``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """``license``: a Hub license identifier (``unknown`` when we cannot tell); ``attribution``: who to
    credit and how; ``url``: where the original lives."""

    name: str
    license: str
    attribution: str
    url: str
    note: str = ""


SOURCES: dict[str, Source] = {
    "openai/gsm8k": Source(
        "GSM8K",
        "mit",
        "Cobbe et al. 2021, Training Verifiers to Solve Math Word Problems (OpenAI)",
        "https://github.com/openai/grade-school-math",
    ),
    "hendrycks/MATH": Source(
        "MATH (MATH-500 split)",
        "mit",
        "Hendrycks et al. 2021, Measuring Mathematical Problem Solving With the MATH Dataset; the MATH-500 "
        "split of Lightman et al. 2023, Let's Verify Step by Step (openai/prm800k)",
        "https://github.com/hendrycks/math",
    ),
    "openai/openai_humaneval": Source(
        "HumanEval",
        "mit",
        "Chen et al. 2021, Evaluating Large Language Models Trained on Code (OpenAI)",
        "https://github.com/openai/human-eval",
    ),
    "google-research-datasets/mbpp": Source(
        "MBPP",
        "cc-by-4.0",
        "Austin et al. 2021, Program Synthesis with Large Language Models (Google Research)",
        "https://github.com/google-research/google-research/tree/master/mbpp",
    ),
    "hotpotqa/hotpot_qa": Source(
        "HotpotQA",
        "cc-by-sa-4.0",
        "Yang et al. 2018, HotpotQA: A Dataset for Diverse, Explainable Multi-hop Question Answering",
        "https://hotpotqa.github.io",
        "CC BY-SA 4.0 is share-alike: the masked rows stay under it, and so must anything built from them.",
    ),
    "PeterGriffinJin/Search-R1": Source(
        "Search-R1 traces",
        "apache-2.0",
        "Jin et al. 2025, Search-R1: Training LLMs to Reason and Leverage Search Engines with RL",
        "https://github.com/PeterGriffinJin/Search-R1",
    ),
    "ysymyth/ReAct": Source(
        "ReAct trajectories",
        "mit",
        "Yao et al. 2023, ReAct: Synergizing Reasoning and Acting in Language Models",
        "https://github.com/ysymyth/ReAct",
    ),
    "StonyBrookNLP/ircot": Source(
        "IRCoT chains",
        "apache-2.0",
        "Trivedi et al. 2023, Interleaving Retrieval with Chain-of-Thought Reasoning",
        "https://github.com/StonyBrookNLP/ircot",
    ),
    "mit-han-lab/SMEPO": Source(
        "SMEPO training data",
        "unknown",
        "the SMEPO authors' released training data (Hide to Guide, arXiv 2605.25198)",
        "https://huggingface.co/datasets/mit-han-lab/SMEPO",
        "The release states no license here: check it before publishing derived data.",
    ),
}


def source_for(data_source: str) -> Source:
    """The known source behind ``data_source``, else one with an ``unknown`` license (the card then says
    the publisher must check it)."""
    return SOURCES.get(data_source) or Source(
        data_source, "unknown", f"{data_source} (not a source smepo knows)", "", "License unknown: check it."
    )
