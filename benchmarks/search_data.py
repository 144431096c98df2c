"""Convert the raw search samples into JSONL rows the search presets read.

    python benchmarks/search_data.py OUT_DIR [--data ../shared/data/search]

The raw files are prompt files and transcripts, not rows. This writes, in OUT_DIR:
  searchr1.jsonl   one row per Search-R1 transcript (searchr1_example_case.txt): the question from the
                   user turn, the assistant part as the trace
  react.jsonl      one row per hand-written ReAct trajectory (react_prompts_naive.json, webthink_simple6):
                   the Question line as the question, the Thought/Action/Observation lines as the trace
  ircot.jsonl      one row per IRCoT chain (ircot_hotpotqa_gold_with_2_distractors_cot.txt): the qid as id,
                   the paragraphs, Q: line and A: chain as the trace
  hotpotqa.jsonl   one row per HotpotQA row (reflexion_hotpotqa_distractor_sample100.jsonl): the trace
                   built over its supporting paragraphs, the original row under ``hotpotqa``
Every row has id, question, trace and answer (``{"answers": [...]}``). The first three sources carry no
gold answer column, so their answer is the trace's own final answer.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from smepo_data._model import RowError
from smepo_data.search._sources import hotpotqa_trace
from smepo_data.search._trace import final_answer
from smepo_data.search.answers import answers_json

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "search"


def _row(id_: str, question: str, trace: str) -> dict:
    span = final_answer(trace)
    if span is None:
        raise RowError("unparsable_answer", f"{id_}: the trace has no final answer")
    return {
        "id": id_,
        "question": question,
        "trace": trace,
        "answer": answers_json([trace[span[0] : span[1]]]),
    }


def searchr1_rows(text: str) -> list[dict]:
    """The transcripts of a Search-R1 example file (each opens with a ``<|im_start|>system`` turn)."""
    rows = []
    for i, chat in enumerate(re.split(r"(?=<\|im_start\|>system)", text)[1:]):
        question = re.search(r"Question:\s*(.*?)\s*<\|im_end\|>", chat, re.S)
        _, _, assistant = chat.partition("<|im_start|>assistant\n")
        trace = assistant.split("<|im_end|>")[0].strip()
        rows.append(_row(f"searchr1-{i}", question.group(1) if question else "", trace))
    return rows


def react_rows(prompt: str) -> list[dict]:
    """The trajectories of a ReAct few-shot prompt: each starts at a ``Question:`` line."""
    rows = []
    for i, block in enumerate(re.split(r"^(?=Question:)", prompt, flags=re.M)[1:]):
        first, _, rest = block.partition("\n")
        rows.append(_row(f"react-{i}", first.removeprefix("Question:").strip(), rest.strip()))
    return rows


def ircot_rows(text: str) -> list[dict]:
    """The chains of an IRCoT prompt file: each starts at a ``# METADATA: {"qid": ...}`` line."""
    rows = []
    for block in re.split(r"^(?=# METADATA:)", text, flags=re.M)[1:]:
        meta, _, rest = block.partition("\n")
        question = re.search(r"^Q:\s*(.*)$", rest, re.M)
        qid = json.loads(meta.removeprefix("# METADATA:"))["qid"]
        rows.append(_row(qid, question.group(1).strip() if question else "", rest.strip()))
    return rows


def hotpotqa_rows(lines: list[str]) -> list[dict]:
    """HotpotQA rows with a built trace, the answer as JSON and the original row kept."""
    rows = []
    for row in (json.loads(line) for line in lines if line.strip()):
        rows.append(
            {
                "id": row["id"],
                "question": row["question"],
                "trace": hotpotqa_trace(row),
                "answer": answers_json([row["answer"]]),
                "hotpotqa": row,
            }
        )
    return rows


def convert(data: Path) -> dict[str, list[dict]]:
    """Rows per output file name, from the raw files in ``data``."""
    react = json.loads((data / "react_prompts_naive.json").read_text())["webthink_simple6"]
    return {
        "searchr1": searchr1_rows((data / "searchr1_example_case.txt").read_text()),
        "react": react_rows(react),
        "ircot": ircot_rows((data / "ircot_hotpotqa_gold_with_2_distractors_cot.txt").read_text()),
        "hotpotqa": hotpotqa_rows(
            (data / "reflexion_hotpotqa_distractor_sample100.jsonl").read_text().splitlines()
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="output folder")
    ap.add_argument("--data", type=Path, default=DATA, help="folder of the raw search files")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in convert(args.data).items():
        path = args.out / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        print(f"{path}: {len(rows)} rows")


if __name__ == "__main__":
    main()
