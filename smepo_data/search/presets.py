"""The search domain's presets: HotpotQA (a trace built over the supporting paragraphs), Search-R1, ReAct
and IRCoT traces; the gold answer with its aliases as ``{"answers": [...]}``."""

from __future__ import annotations

from ..io.presets import Preset
from ._sources import bridge_titles, hotpotqa_trace, search_answer


def _traces(name: str, columns: dict[str, tuple[str, ...]], data_source: str, description: str) -> Preset:
    """A corpus of search traces: the question, the trace and id in ``columns``, the gold answer with its
    aliases (else the trace's own final answer)."""
    return Preset(
        name,
        "search",
        {"question": ("question",), **columns},
        derive={"answer": search_answer},
        data_source=data_source,
        description=description,
    )


PRESETS: dict[str, Preset] = {
    "hotpotqa": Preset(
        "hotpotqa",
        "search",
        {"question": ("question",), "trace": ("trace",), "id": ("id", "_id")},
        derive={"trace": hotpotqa_trace, "answer": search_answer},
        meta={"bridge_titles": bridge_titles},
        data_source="hotpotqa/hotpot_qa",
        description="HotpotQA: question, answer, supporting_facts, context (no trace: one is built over "
        "the supporting paragraphs, Search-R1 style)",
    ),
    "searchr1": _traces(
        "searchr1",
        {"trace": ("trace",), "id": ("id",)},
        "PeterGriffinJin/Search-R1",
        "Search-R1 traces: question, trace (<think>/<search>/<information>/<answer>), "
        "answer / answers / golden_answers, aliases",
    ),
    "react": _traces(
        "react",
        {"trace": ("trajectory", "trace"), "id": ("id",)},
        "ysymyth/ReAct",
        "ReAct trajectories: question, trajectory (Thought / Action Search[...] / Observation "
        "/ Finish[...]), answer (else the Finish[] answer)",
    ),
    "ircot": _traces(
        "ircot",
        {"trace": ("chain", "trace"), "id": ("id", "qid")},
        "StonyBrookNLP/ircot",
        "IRCoT chains: question, chain (Wikipedia Title paragraphs, Q:, A: ... 'So the answer "
        "is: X'), answer (else the chain's)",
    ),
}
