"""Search corpora as examples: the gold answers of a row, and for HotpotQA rows without a trace, a
Search-R1-style trajectory built over their supporting paragraphs (used by the presets)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._model import RowError
from ._trace import final_answer
from .answers import answers_json, parse_answers


def search_answer(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
    """``{"answers": [...]}`` from an ``answer`` column (plain or already JSON) or an ``answers`` /
    ``golden_answers`` list, plus any ``aliases``; without any, the trace's own final answer."""
    found = next((row[k] for k in ("answer", "answers", "golden_answers") if row.get(k) is not None), None)
    if found is None:
        span = final_answer(fields["trace"])
        if span is None:
            raise RowError("unparsable_answer", "no answer column and no final answer in the trace")
        found = fields["trace"][span[0] : span[1]]
    answers = parse_answers(found) if isinstance(found, str) else found
    aliases = row.get("aliases") or []
    if not isinstance(answers, list) or not isinstance(aliases, list):
        raise RowError("wrong_type", "answers and aliases must be text or lists of text")
    return answers_json([*answers, *aliases])


def _hotpotqa_row(row: Mapping[str, Any]) -> Mapping[str, Any]:
    """The HotpotQA fields of a row: the row itself, or the original row a converter kept under
    ``hotpotqa``."""
    nested = row.get("hotpotqa")
    return nested if "supporting_facts" not in row and isinstance(nested, Mapping) else row


def bridge_titles(row: Mapping[str, Any]) -> list[str]:
    """The titles of a HotpotQA row's supporting facts, in order, once each (``[]`` without any).

    Reads the Hugging Face layout (``{"title": [...], "sent_id": [...]}``) and the original JSON
    one (``[[title, sent_id], ...]``)."""
    facts = _hotpotqa_row(row).get("supporting_facts")
    if facts is None:
        return []
    if isinstance(facts, Mapping):
        titles = facts.get("title")
    elif isinstance(facts, list):
        titles = [f[0] if isinstance(f, list | tuple) and f else None for f in facts]
    else:
        titles = None
    if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
        raise RowError("wrong_type", "'supporting_facts' must give a title (text) for every fact")
    return list(dict.fromkeys(titles))


def _paragraphs(row: Mapping[str, Any]) -> dict[str, str]:
    """HotpotQA's ``context`` as title -> paragraph (its sentences joined), in either layout."""
    context = _hotpotqa_row(row).get("context")
    if isinstance(context, Mapping):
        pairs = list(zip(context.get("title") or [], context.get("sentences") or [], strict=False))
    elif isinstance(context, list):
        pairs = [tuple(c) for c in context if isinstance(c, list | tuple) and len(c) == 2]
    else:
        raise RowError("missing_field", "no 'context' paragraphs")
    out: dict[str, str] = {}
    for title, sentences in pairs:
        if not isinstance(sentences, list) or not all(isinstance(x, str) for x in sentences):
            raise RowError("wrong_type", f"the sentences of {title!r} must be a list of text")
        out.setdefault(str(title), "".join(sentences).strip())
    return out


def _hotpotqa_trajectory(row: Mapping[str, Any]) -> str:
    """A Search-R1-style trajectory over a HotpotQA row's supporting paragraphs: for each supporting
    title in order a ``<think>``, a ``<search>`` for the title and its paragraph as ``<information>``,
    then the ``<answer>``."""
    titles = bridge_titles(row)
    if not titles:
        raise RowError("missing_field", "no 'trace' and no 'supporting_facts' to build one from")
    paragraphs = _paragraphs(row)
    lines = []
    for title in titles:
        if title not in paragraphs:
            raise RowError("missing_field", f"the supporting title {title!r} has no paragraph in 'context'")
        lines += [
            f"<think> I need information about {title}. </think>",
            f"<search> {title} </search>",
            f'<information> Doc 1(Title: "{title}") {paragraphs[title]} </information>',
        ]
    answer = _hotpotqa_row(row).get("answer")
    if not isinstance(answer, str):
        raise RowError("missing_field", "no 'answer' text to end the trajectory with")
    lines.append(f"<answer> {parse_answers(answer)[0]} </answer>")
    return "\n".join(lines)


def hotpotqa_trace(row: Mapping[str, Any], fields: dict[str, Any] | None = None) -> str:
    """The trace of a HotpotQA row that has none (a preset ``derive`` function)."""
    return _hotpotqa_trajectory(row)
