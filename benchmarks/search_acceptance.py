"""Acceptance for search masking on every trace in ../shared/data/search.

    python benchmarks/search_acceptance.py [--data ../shared/data/search]

Converts the raw files (benchmarks/search_data.py), masks each at the three levels through the
pipeline, and checks the output:
  * leaks: the search verifier on each written masked trace (final answer or any mention of the answer
    or an alias left) must find nothing;
  * question entities kept (at critical): the named entities spaCy finds in the QUESTION (person, place,
    organisation, work, event, ... labels), minus the answer and its aliases; each of their mentions in
    the trace (case/article/punctuation-insensitive) counts as visible when no span touches it; mentions
    inside a mention of the answer ("Amsterdam" in "Stedelijk Museum Amsterdam") are not counted, since
    hiding the answer must hide them;
  * bridge mentions hidden (at critical), counted from the trace's structure, not from NER: HotpotQA's
    supporting-fact titles; for ReAct and Search-R1, the targets of search queries (of up to 6 words)
    that the trace mentioned before searching them; for IRCoT, the titles of paragraphs that the chain
    of thought names; each minus those the question names (every word of it, a title's "(disambiguation)"
    left out, in the question) and the answer. Every mention of them in the trace counts; hidden when a
    span covers it.
It also prints masking throughput (traces/s, words/s; spaCy, spans, render and audit; one process).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from smepo_data import Example, mask_example
from smepo_data._domains import get_domain
from smepo_data.io.presets import PRESETS
from smepo_data.io.readers import read_rows
from smepo_data.pipeline import PipelineConfig, run
from smepo_data.search._trace import parse_trace
from smepo_data.search.answers import find_mentions, normalize_answer, parse_answers

ROOT = Path(__file__).resolve().parent.parent
NAMES = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}


def named_by(question: str, text: str) -> bool:
    """Every word of ``text`` (a title's "(disambiguation)" left out) is in the question, allowing plural
    and possessive forms and punctuation read either way."""
    text = re.sub(r"\s*\([^()]*\)\s*$", "", text) or text
    words = set(normalize_answer(question).split()) | set(spaced(question).split())
    return any(
        all(w in words or w + "s" in words or w.rstrip("s") in words for w in form.split())
        for form in (normalize_answer(text), spaced(text))
        if form
    )


def spaced(text: str) -> str:
    return normalize_answer(re.sub(r"[^\w\s]", " ", text))


def bridges(name: str, ex: Example) -> list[str]:
    """The bridge entities of a trace, from its structure (see the module docstring)."""
    _, steps = parse_trace(ex.trace)
    if name == "hotpotqa":
        found = list(ex.meta.get("bridge_titles") or [])
    elif name == "ircot":
        chain = ex.trace.rsplit("\nA:", 1)[-1]
        titles = [
            line[len("Wikipedia Title: ") :].strip()
            for line in ex.trace.splitlines()
            if line.startswith("Wikipedia Title: ")
        ]
        found = [t for t in titles if find_mentions(chain, [re.sub(r"\s*\([^()]*\)\s*$", "", t) or t])]
    else:  # query targets the trace mentioned before it searched them
        found = [
            ex.trace[s.start : s.end]
            for s in steps
            if s.kind == "query"
            and len(ex.trace[s.start : s.end].split()) <= 6
            and find_mentions(ex.trace[: s.start], [ex.trace[s.start : s.end]])
        ]
    answers = {normalize_answer(a) for a in parse_answers(ex.answer)}
    return [
        b for b in dict.fromkeys(found) if not named_by(ex.question, b) and normalize_answer(b) not in answers
    ]


def covered(spans: list[dict], start: int, end: int) -> bool:
    return any(s["start"] <= start and end <= s["end"] for s in spans)


def touched(spans: list[dict], start: int, end: int) -> bool:
    return any(s["start"] < end and start < s["end"] for s in spans)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "search"))
    args = ap.parse_args()
    domain = get_domain("search")
    nlp = domain.masker.nlp
    failed = False
    totals = {"q": 0, "q_kept": 0, "b": 0, "b_hidden": 0}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "search_data.py"), tmp, "--data", args.data],
            check=True,
        )
        for name in ("searchr1", "react", "ircot", "hotpotqa"):
            path = Path(tmp) / f"{name}.jsonl"
            examples = [
                PRESETS[name].to_example(r.data, source=path.name, index=r.index) for r in read_rows(path)
            ]
            start = time.perf_counter()
            for ex in examples:
                mask_example(ex)
            seconds = time.perf_counter() - start
            words = sum(len(ex.trace.split()) for ex in examples)
            print(
                f"\n{name}: {len(examples)} traces, {len(examples) / seconds:,.1f} traces/s, "
                f"{words / seconds:,.0f} words/s (critical, with the audit)"
            )
            by_id = {ex.id: ex for ex in examples}
            for level in ("answer", "critical", "entities"):
                out = Path(tmp) / f"out-{name}-{level}"
                stats = run(PipelineConfig(inputs=[str(path)], output=str(out), preset=name, level=level))
                rows = pq.read_table(out / "data").to_pylist()
                leaks = sum(domain.verifier.leak(by_id[r["id"]], r["masked_trace"]) is not None for r in rows)
                rejects = dict(stats.rejects) or 0
                line = (
                    f"  {level:9} written {stats.rows_out}/{stats.rows_in}, rejects {rejects}, leaks {leaks}"
                )
                failed |= leaks > 0 or stats.rows_out != stats.rows_in
                if level == "critical":
                    q_total = q_kept = b_total = b_hidden = 0
                    for r in rows:
                        ex = by_id[r["id"]]
                        answers = {normalize_answer(a) for a in parse_answers(ex.answer)}
                        q_ents = {e.text for e in nlp(ex.question).ents if e.label_ in NAMES}
                        q_ents = [e for e in q_ents if normalize_answer(e) not in answers]
                        inside_answer = find_mentions(ex.trace, list(answers | set(parse_answers(ex.answer))))
                        for s, e in find_mentions(ex.trace, q_ents):
                            if any(a <= s and e <= b for a, b in inside_answer):
                                continue
                            q_total += 1
                            q_kept += not touched(r["spans"], s, e)
                        for s, e in find_mentions(ex.trace, bridges(name, ex)):
                            b_total += 1
                            b_hidden += covered(r["spans"], s, e)
                    line += f"; question-entity mentions visible {pct(q_kept, q_total)}"
                    line += f"; bridge mentions hidden {pct(b_hidden, b_total)}"
                    totals["q"] += q_total
                    totals["q_kept"] += q_kept
                    totals["b"] += b_total
                    totals["b_hidden"] += b_hidden
                print(line)
    q, b = pct(totals["q_kept"], totals["q"]), pct(totals["b_hidden"], totals["b"])
    print(f"\nall traces at critical: question-entity mentions visible {q}; bridge mentions hidden {b}")
    failed |= totals["q_kept"] < 0.95 * totals["q"] or totals["b_hidden"] < 0.95 * totals["b"]
    raise SystemExit(1 if failed else 0)


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / max(whole, 1):.1f}%"


if __name__ == "__main__":
    main()
