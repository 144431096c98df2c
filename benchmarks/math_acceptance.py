#!/usr/bin/env python
"""Acceptance metrics for masked math expert traces (GSM8K / MATH).

Reads masker output dirs (every ``*.parquet`` under ``OUT_DIR/data``) and/or builds the reference
release's masking in memory (``--reference``), and prints one table, one column per dataset:

* leak checks (rows, must be 0): math-verify matches the gold against the masked trace; the
  normalised gold string is visible; a number equal to the gold is visible outside an exponent,
  index, label or text copied from the question;
* render check (rows, must be 0): spans sorted, in bounds, non-overlapping, and ``masked_trace``
  is ``trace`` with each span replaced by one ``[PLACEHOLDER]``;
* structure measures over the numbers of the original trace: given numbers visible, derived
  numbers hidden, step labels and variable indices intact.

Exits 1 if any OUT_DIR has a leak or a render mismatch; the reference is a baseline and never
gates. Independent of ``smepo_data``: it only reads the published columns.

    python benchmarks/math_acceptance.py OUT_DIR [OUT_DIR ...] [--examples N] [--jobs J]
    python benchmarks/math_acceptance.py --reference gsm8k_train.jsonl --format gsm8k
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import pyarrow.parquet as pq
from math_verify import parse, verify

LEAK_NAMES = {
    "leak_verify": "LEAK math-verify",
    "leak_string": "LEAK gold string",
    "leak_number": "LEAK gold number",
}
COLUMNS = ["id", "question", "trace", "masked_trace", "spans", "reward_model", "mask_level", "placeholder"]
PLACEHOLDER_RE = re.compile(r"\[[A-Z_0-9]+\]")
NUMBER_RE = re.compile(
    r"(?<![\d.])(?:\d{1,3}(?:(?:,\\!\s?|\{,\}|,)\d{3})+(?!\d)|\d+)(?:\.\d+)?"  # 12, 3.5, 1,000, 1{,}000
    r"|(?<![\w.])\.\d+"  # .5
)
PLAIN_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
BARE_COMMA_RE = re.compile(r"(?<!\{),(?!\\!|\})")
MATH_MODE_RE = re.compile(
    r"(?<!\\)\$\$.*?(?<!\\)\$\$|(?<!\\)\$.*?(?<!\\)\$|\\\[.*?\\\]|\\\(.*?\\\)|\\begin\{([a-z]+\*?)\}.*?\\end\{\1\}",
    re.S,
)
ASY_RE = re.compile(r"\[asy\].*?\[/asy\]", re.S)
LAYOUT_RE = re.compile(r"\\(?:cline|hspace|vspace|begin\{array\})\s*\{[^{}]*\}")
ROOT_INDEX_RE = re.compile(r"\\sqrt\s*\[([^\]]*)\]")  # the index of a radical, \sqrt[3]{x}
LABEL_RE = re.compile(r"\b(?:step|case|part|stage|method|solution|subcase)s?(?:[ \t~]|\\ )*#?(\d+)", re.I)
MARKER_RE = re.compile(r"^[ \t]*(\d+)[.)](?=\s)", re.M)
TEX_FRAC_RE = re.compile(r"\\[dt]?frac\s*(?:\{\s*(\d+)\s*\}|(\d))\s*(?:\{\s*(\d+)\s*\}|(\d))")
SIGNED_NUMBER_RE = re.compile(r"-?(?:\d+(?:\.\d+)?|\.\d+)")
GOLD_UNIT_RE = re.compile(r"(?:\\(?:text|mbox|mathrm)\{[^{}]*\}|\\%|%|\^\\circ|\^\{\\circ\})$")
GOLD_FRAC_RE = re.compile(r"(-?)(\d+)?\\[dt]?frac(?:\{(\d+)\}|(\d))(?:\{(\d+)\}|(\d))")
SLASH_FRAC_RE = re.compile(r"(-?)(\d+)/(\d+)")
PERCENT_RE = re.compile(r"\s*(?:\\?%|percent)")
TEX_NOISE_RE = re.compile(
    r"\\(?:text|textbf|mathrm)\{(?=[^{}]*\})|\\(?:left|right|displaystyle)(?![A-Za-z])|\\[!,;$]|\$|\s"
    r"|(?<=\\)[dt](?=frac)"
)
# fmt: off
NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
                "twenty"]
TENS_WORDS = ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES = {
    **{w: (i,) for i, w in enumerate(NUMBER_WORDS, 1)}, **{w: (10 * i,) for i, w in enumerate(TENS_WORDS, 3)},
    "hundred": (100,), "thousand": (1000,), "million": (10**6,), "half": (2, Fraction(1, 2)), "twice": (2,),
    "double": (2,), "triple": (3,), "thrice": (3,), "quarter": (4, Fraction(1, 4)), "third": (3,),
    "dozen": (12,), "pair": (2,),
}
# fmt: on


class Num(NamedTuple):
    """A number token: ``start`` includes a unary minus, ``digits`` is where the digits begin."""

    start: int
    digits: int
    end: int
    value: Fraction


class Layout:
    """Positional facts about one text: its numbers, labels, ``^{}``/``_{}`` groups, figures."""

    def __init__(self, text: str):
        self.text = text
        self.figures = [m.span() for m in ASY_RE.finditer(text)]
        # layout arguments hold no values: \cline{2-4}, \begin{array}{ccc}, \hspace{2mm}
        self.layout = [m.span() for m in LAYOUT_RE.finditer(text)] if "\\" in text else []
        self.root_indices = [m.span(1) for m in ROOT_INDEX_RE.finditer(text)] if "\\sqrt" in text else []
        self.scripts = _script_groups(text)
        self.labels: dict[int, tuple[int, int]] = {}  # digits start -> (label start, label end)
        for m in LABEL_RE.finditer(text):
            self.labels[m.start(1)] = (m.start(), m.end(1))
        for m in MARKER_RE.finditer(text):
            self.labels.setdefault(m.start(1), (m.start(1), m.end(1) + 1))
        math_mode = [m.span() for m in MATH_MODE_RE.finditer(text)] if "\\" in text else []
        self.numbers = []
        for m in NUMBER_RE.finditer(text):
            parts = [m.span()]
            if BARE_COMMA_RE.search(m[0]) and _inside(math_mode, m.start()):  # "(1,000)" in math: a pair
                parts = [(m.start() + p.start(), m.start() + p.end()) for p in PLAIN_NUMBER_RE.finditer(m[0])]
            for s, e in parts:
                start = _unary_minus_start(text, s)
                value = Fraction(re.sub(r"[^\d.]", "", text[s:e]))
                self.numbers.append(Num(start, s, e, -value if start < s else value))

    def in_script(self, pos: int, kind: str = "^_") -> bool:
        """True if ``pos`` lies inside a brace group opened by ``^{`` or ``_{`` (as chosen by ``kind``)."""
        return any(s < pos < e and k in kind for s, e, k in self.scripts)

    def in_figure(self, pos: int) -> bool:
        """True if ``pos`` lies inside ``[asy]...[/asy]``."""
        return _inside(self.figures, pos)


def _inside(regions: list[tuple[int, int]], pos: int) -> bool:
    """True if ``pos`` lies in one of the half-open ``regions``."""
    return any(s <= pos < e for s, e in regions)


def _script_groups(text: str) -> list[tuple[int, int, str]]:
    """(open, close, '^' or '_') for every brace group opened right after ``^`` or ``_``."""
    groups, stack = [], []
    for m in re.finditer(r"\\.|[{}]", text):
        if m[0] == "{":
            stack.append((m.start(), text[m.start() - 1 : m.start()]))
        elif m[0] == "}" and stack:
            start, opener = stack.pop()
            if opener in ("^", "_"):
                groups.append((start, m.end(), opener))
    return groups


def _unary_minus_start(text: str, i: int) -> int:
    """Start of the number whose digits begin at ``i``, moved back over a unary minus.

    A minus after a digit, a closing bracket or a glued variable ("10-5", "}-2", "x-1") is an operator.
    """
    if i == 0 or text[i - 1] != "-":
        return i
    k = i - 2
    while k >= 0 and text[k] == " ":
        k -= 1
    if k < 0:
        return i - 1
    if text[k].isdigit() or text[k] in ".)]}":
        return i
    if text[k].isalpha():  # "is -5" and "\le -5" are signs, "x-5" is not
        command = re.search(r"\\[A-Za-z]+$", text[max(0, k - 20) : k + 1])
        return i - 1 if command or k < i - 2 else i
    return i - 1


def _is_variable_letter(text: str, i: int) -> bool:
    """True if the digit at ``i`` follows a lone letter like ``x1`` (not ``mp3``, ``20x8``, ``\\pi2``)."""
    before = text[i - 2] if i >= 2 else ""
    return i >= 1 and text[i - 1].isalpha() and not (before.isalnum() or before == "\\")


# ----------------------------------------------------------------------------------------- gold


def _strip_gold(gold: str) -> str:
    """Drop ``$``, ``\\$``, spaces, ``\\!``, ``{,}`` and thousands commas from a gold answer."""
    s = re.sub(r"\\\$|\$|\\!|\{,\}|\s", "", gold)
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", s)


def is_plain_number(gold: str) -> bool:
    """True for golds like ``72``, ``-1``, ``1,000``, ``.35``, ``\\$18.90``."""
    return bool(SIGNED_NUMBER_RE.fullmatch(_strip_gold(gold)))


def numeric_value(gold: str) -> Fraction | None:
    """Value of a numeric gold: a plain number, optionally with a unit / % / degree suffix,
    or a simple fraction (``\\frac{14}{3}``, ``\\frac65``, ``1\\frac{4}{5}``, ``-3/8``); else None."""
    s = _strip_gold(gold)
    while (unit := GOLD_UNIT_RE.search(s)) and unit.start() > 0:
        s = s[: unit.start()]
    if SIGNED_NUMBER_RE.fullmatch(s):
        return Fraction(s)
    if m := GOLD_FRAC_RE.fullmatch(s):
        sign, whole, num1, num2, den1, den2 = m.groups()
        value = int(whole or 0) + Fraction(int(num1 or num2), int(den1 or den2))
    elif m := SLASH_FRAC_RE.fullmatch(s):
        sign, value = m[1], Fraction(int(m[2]), int(m[3]))
    else:
        return None
    return -value if sign else value


def answer_values(gold: str) -> set[Fraction]:
    """The gold's numeric value, or the numeric components of a tuple / interval / vector gold."""
    if (value := numeric_value(gold)) is not None:
        return {value}
    s = re.sub(r"\\(?:left|right)(?![A-Za-z])|\\(?:begin|end)\{[pbv]?matrix\}", "", gold)
    s = s.strip().strip("()[]").replace("\\\\", ",").replace("&", ",")
    parts, depth = [""], 0
    for ch in s:
        depth += (ch in "([{") - (ch in ")]}")
        if ch == "," and depth == 0:
            parts.append("")
        else:
            parts[-1] += ch
    return {v for p in parts if (v := numeric_value(p)) is not None} if len(parts) > 1 else set()


def question_values(question: str) -> set[Fraction]:
    """Magnitudes the question states: numerals (``p%`` also as p/100) and number words."""
    values = set()
    for num in Layout(question).numbers:
        values.add(abs(num.value))
        if PERCENT_RE.match(question, num.end):
            values.add(abs(num.value) / 100)
    for word in re.findall(r"[a-z]+(?:-[a-z]+)*", question.lower()):
        pieces = word.split("-")
        for piece in pieces:
            if piece not in WORD_VALUES and piece.endswith("s"):  # ones, thirds, halves, dozens
                piece = "half" if piece == "halves" else piece[:-1]
            values.update(Fraction(v) for v in WORD_VALUES.get(piece, ()))
        if len(pieces) == 2 and pieces[0] in ["twenty", *TENS_WORDS] and pieces[1] in NUMBER_WORDS[:9]:
            values.add(Fraction(WORD_VALUES[pieces[0]][0] + WORD_VALUES[pieces[1]][0]))  # twenty-five
    return values


# ----------------------------------------------------------------------------------- row checks


def render_problem(trace: str, masked: str, spans: list[tuple[int, int]]) -> str | None:
    """Why ``masked`` is not ``trace`` with each span replaced by one placeholder, or None."""
    pos, prev_end = 0, 0
    for k, (start, end) in enumerate(spans):
        if not prev_end <= start < end <= len(trace):
            return f"span {k} ({start}, {end}) unsorted, overlapping, empty or out of bounds"
        kept = trace[prev_end:start]
        if not masked.startswith(kept, pos):
            return f"kept text differs at masked offset {pos}: {masked[pos : pos + 40]!r} != {kept[:40]!r}"
        pos += len(kept)
        if not (m := PLACEHOLDER_RE.match(masked, pos)):
            return f"no placeholder at masked offset {pos}: {masked[pos : pos + 40]!r}"
        pos, prev_end = m.end(), end
    if masked[pos:] != trace[prev_end:]:
        return f"tail differs at masked offset {pos}: {masked[pos : pos + 40]!r}"
    return None


def verify_leak(pair: tuple[str, str]) -> str | None:
    """What math-verify extracts from the masked trace when it verifies against the gold, else None."""
    gold, masked = pair
    found = parse(masked) if gold else []
    return str(found[-1]) if found and verify(parse(f"${gold}$"), found) else None


def normalise_tex(s: str) -> tuple[str, list[int]]:
    """``s`` without whitespace, ``$``, ``\\left``, ``\\right``, ``\\displaystyle``, ``\\!``, ``\\,``,
    ``\\;``, with ``\\text{X}``/``\\textbf{X}``/``\\mathrm{X}`` unwrapped and ``\\dfrac``/``\\tfrac``
    as ``\\frac``; also returns the index in ``s`` of every kept character."""
    dropped = set()
    for m in TEX_NOISE_RE.finditer(s):
        dropped.update(range(*m.span()))
        if m[0].endswith("{"):  # \text{ : also drop its closing brace
            dropped.add(s.index("}", m.end()))
    kept = [i for i in range(len(s)) if i not in dropped]
    return "".join(s[i] for i in kept), kept


def string_leak(gold: str, masked: str) -> str | None:
    """Context of the normalised gold (a choice letter as ``(B)``) in the normalised masked trace."""
    needle, _ = normalise_tex(gold)
    if m := re.fullmatch(r"\(?([A-Z])\)?", needle):
        needle = f"({m[1]})"
    if len(needle) < 2:
        return None
    hay, kept = normalise_tex(masked)

    def glued(left: int, right: int) -> bool:
        """Letters at ``hay`` positions left and right with no whitespace between them in ``masked``."""
        if left < 0 or right >= len(hay) or not (hay[left].isalpha() and hay[right].isalpha()):
            return False
        return not any(c.isspace() for c in masked[kept[left] + 1 : kept[right]])

    for m in re.finditer(re.escape(needle), hay):
        if not (glued(m.start() - 1, m.start()) or glued(m.end() - 1, m.end())):
            return context(masked, kept[m.start()], kept[m.end() - 1] + 1)
    return None


def number_leaks(value: Fraction, masked: str, question: str) -> list[str]:
    """Contexts of standalone numbers (and, for a non-integer gold, ``\\frac{a}{b}``) equal to
    ``value`` outside an exponent, an index, a label or text copied from the question."""
    layout = Layout(masked)
    candidates = []  # (start, digits start, end)
    for num in layout.numbers:
        before = masked[num.digits - 1 : num.digits] if num.digits else ""
        if num.value != value or before in ("_", "^") or _is_variable_letter(masked, num.digits):
            continue  # not equal, or not standalone (an index or an exponent)
        if (
            num.digits in layout.labels
            or layout.in_script(num.digits)
            or _inside(layout.root_indices, num.digits)
        ):
            continue  # a label, or an index / exponent inside braces or a radical's index
        if not _inside(layout.layout, num.digits):
            candidates.append(num[:3])
    if value.denominator != 1:
        for m in TEX_FRAC_RE.finditer(masked):
            start = _unary_minus_start(masked, m.start())
            frac = Fraction(int(m[1] or m[2]), int(m[3] or m[4]))
            if (-frac if start < m.start() else frac) == value and not layout.in_script(m.start()):
                candidates.append((start, m.start(), m.end()))
    question_norm = " ".join(question.split()).lower()
    words = [m.span() for m in re.finditer(r"\S+", masked)] if candidates else []
    leaks = []
    for start, _, end in candidates:
        i = next(k for k, (ws, we) in enumerate(words) if ws <= start < we)
        window = masked[words[max(0, i - 2)][0] : words[min(len(words) - 1, i + 2)][1]]
        if " ".join(window.split()).lower() not in question_norm:
            leaks.append(context(masked, start, end) + (" (in [asy])" if layout.in_figure(start) else ""))
    return leaks


def classify(layout: Layout, num: Num, answers: set[Fraction], given: set[Fraction]) -> tuple[str, int, int]:
    """(class, start, end) of a trace number; for labels and indices start/end also cover the
    label word or the variable letter, which must stay unchanged for the token to be intact."""
    text, i = layout.text, num.digits
    if _inside(layout.layout, i):
        return "layout", num.start, num.end
    if i in layout.labels:
        start, end = layout.labels[i]
        return "label", start, max(end, num.end)
    if _inside(layout.root_indices, i):
        return "index", num.start, num.end
    if text[i - 1 : i] == "_":  # x_1; for a numeral's base (52_8) only the subscript itself must stay
        return "index", (i if text[i - 2 : i - 1].isdigit() else max(0, i - 2)), num.end
    if text[max(0, i - 2) : i] == "_{":
        return "index", (i if text[i - 3 : i - 2].isdigit() else max(0, i - 3)), num.end
    if _is_variable_letter(text, i) or layout.in_script(i, "_"):
        return "index", i - 1, num.end
    if text[i - 1 : i] == "^" or layout.in_script(i, "^"):
        return "exponent", num.start, num.end
    if layout.in_figure(i):
        return "figure", num.start, num.end
    if num.value in answers:
        return "answer", num.start, num.end
    return ("given" if abs(num.value) in given else "derived"), num.start, num.end


def context(text: str, start: int, end: int, width: int = 60) -> str:
    """``text[start:end]`` marked with «» in ~``width`` characters of context, newlines escaped."""
    snippet = f"{text[max(0, start - width // 2) : start]}«{text[start:end]}»{text[end : end + width // 2]}"
    return snippet.replace("\n", "\\n")


# ------------------------------------------------------------------------------------- datasets


class Report:
    """Counters and kept example failures for one dataset."""

    def __init__(self, name: str, gates: bool, n_examples: int):
        self.name, self.gates, self.n_examples = name, gates, n_examples
        self.counts: Counter = Counter()
        self.levels: Counter = Counter()
        self.examples: dict[str, list[str]] = defaultdict(list)

    def example(self, kind: str, row_id: str, text: str) -> None:
        """Keep ``text`` as an example of ``kind`` unless ``n_examples`` are kept already."""
        if len(self.examples[kind]) < self.n_examples:
            self.examples[kind].append(f"[{row_id}] {text}")

    def add_row(self, row: dict, verified: str | None) -> None:
        """Count one row; ``verified`` is what math-verify matched to the gold (see ``verify_leak``)."""
        trace, masked, gold = row["trace"] or "", row["masked_trace"] or "", _gold(row)
        spans = [(s["start"], s["end"]) for s in row["spans"] or []]
        self.counts["rows"] += 1
        self.levels[f"{row['mask_level']}/{row['placeholder']}"] += 1
        if problem := render_problem(trace, masked, spans):
            self.counts["render"] += 1
            self.example("render mismatch", row["id"], problem)
        leaks = {"leak_verify": verified and f"gold={gold!r} extracted={verified!r}"}
        if gold and not is_plain_number(gold):
            leaks["leak_string"] = (hit := string_leak(gold, masked)) and f"gold={gold!r}: {hit}"
        if gold and (value := numeric_value(gold)) is not None:
            hits = number_leaks(value, masked, row["question"] or "")
            leaks["leak_number"] = hits and f"gold={gold!r} ({len(hits)} visible): {hits[0]}"
        for kind, detail in leaks.items():
            if detail:
                self.counts[kind] += 1
                self.example(LEAK_NAMES[kind], row["id"], detail)
        self.counts["leak_any"] += any(leaks.values())
        self.add_structure(row, spans)

    def add_structure(self, row: dict, spans: list[tuple[int, int]]) -> None:
        """Classify every number of the original trace and count the hidden / intact ones."""
        trace, row_id = row["trace"] or "", row["id"]
        hidden = bytearray(len(trace))
        for s, e in spans:
            s, e = max(0, s), min(e, len(trace))
            if s < e:
                hidden[s:e] = b"\1" * (e - s)
        layout = Layout(trace)
        answers, given = answer_values(_gold(row)), question_values(row["question"] or "")
        gold = _gold(row)
        # the answer's own text (52_8, \boxed{...}) is hidden by design, subscripts included
        answer_text = [m.span() for m in re.finditer(re.escape(gold), trace)] if gold.strip() else []
        answer_text += [m.span() for m in re.finditer(r"\\boxed\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}", trace)]
        for num in layout.numbers:
            cls, start, end = classify(layout, num, answers, given)
            if cls in ("index", "label") and _inside(answer_text, num.digits):
                cls = "answer"
            is_hidden = 1 in hidden[num.start : num.end]
            self.counts[cls] += 1
            self.counts[f"{cls}_hidden"] += is_hidden
            self.counts[f"{cls}_intact"] += 1 not in hidden[start:end]
            if cls == "derived" and not is_hidden:
                self.example("derived number visible", row_id, context(trace, num.start, num.end))
            elif cls == "given" and is_hidden:
                self.example("given number hidden", row_id, context(trace, num.start, num.end))
            elif cls in ("label", "index") and 1 in hidden[start:end]:
                self.example(f"{cls} not intact", row_id, context(trace, start, end))

    @property
    def failed(self) -> bool:
        """True if this dataset gates and has a leak or a render mismatch."""
        return self.gates and (self.counts["leak_any"] > 0 or self.counts["render"] > 0)


def _gold(row: dict) -> str:
    """The row's gold answer string ('' when missing)."""
    return str((row["reward_model"] or {}).get("ground_truth") or "")


def evaluate(name: str, rows: list[dict], gates: bool, n_examples: int, jobs: int) -> Report:
    """Report for one dataset; the math-verify check (the slow part) runs on ``jobs`` processes."""
    pairs = [(_gold(row), row["masked_trace"] or "") for row in rows]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            verified = list(pool.map(verify_leak, pairs, chunksize=32))
    else:
        verified = [verify_leak(pair) for pair in pairs]
    report = Report(name, gates, n_examples)
    for row, hit in zip(rows, verified, strict=True):
        report.add_row(row, hit)
    return report


def read_out_dir(out_dir: Path) -> list[dict]:
    """All rows of every ``*.parquet`` under ``out_dir/data``."""
    files = sorted((out_dir / "data").rglob("*.parquet"))
    if not files:
        sys.exit(f"no parquet files under {out_dir / 'data'}")
    return [row for f in files for row in pq.read_table(f, columns=COLUMNS).to_pylist()]


def reference_rows(path: Path, fmt: str) -> list[dict]:
    """The reference release's masking of a GSM8K / MATH jsonl: every number becomes ``[NUMBER]``."""
    rows = []
    for i, line in enumerate(filter(str.strip, path.read_text().splitlines())):
        item = json.loads(line)
        if fmt == "gsm8k":
            question, trace = item["question"], item["answer"]
            gold = trace.split("####")[-1].strip().replace(",", "")
        else:
            question, trace, gold = item["problem"], item["solution"], item["answer"]
        spans = [{"start": m.start(), "end": m.end()} for m in re.finditer(r"\d+(\.\d+)?", trace)]
        masked = re.sub(r"\d+(\.\d+)?", "[NUMBER]", trace)
        rows.append(
            {
                "id": str(item.get("unique_id", i)),
                "question": question,
                "trace": trace,
                "masked_trace": masked,
                "spans": spans,
                "reward_model": {"ground_truth": gold},
                "mask_level": "reference",
                "placeholder": "typed",
            }
        )
    return rows


# --------------------------------------------------------------------------------------- output


def _pct(num: int, den: int, target: float | None = None) -> str:
    """``num/den`` as a percentage with counts, flagged LOW when under ``target`` percent."""
    if not den:
        return "n/a"
    low = target is not None and 100 * num / den < target
    return f"{100 * num / den:.1f}% ({num}/{den}){'  LOW' if low else ''}"


def metric_rows(r: Report) -> list[tuple[str, str, str]]:
    """(metric, target, value) rows of the table for one report."""
    c, n, gated = r.counts, r.counts["rows"], "" if r.gates else " (baseline, not gated)"
    return [
        ("rows", "", str(n)),
        ("mask_level/placeholder", "", ", ".join(f"{k} x{v}" for k, v in r.levels.most_common())),
        *((f"{name} (rows)", "0", _pct(c[key], n)) for key, name in LEAK_NAMES.items()),
        ("LEAK any (rows)", "0", _pct(c["leak_any"], n)),
        ("render mismatches (rows)", "0", _pct(c["render"], n)),
        ("given visible", ">=90%", _pct(c["given"] - c["given_hidden"], c["given"], 90)),
        ("derived hidden", ">=95%", _pct(c["derived_hidden"], c["derived"], 95)),
        ("labels intact", ">=99%", _pct(c["label_intact"], c["label"], 99)),
        ("indices intact", ">=99%", _pct(c["index_intact"], c["index"], 99)),
        ("answer-valued hidden", "", _pct(c["answer_hidden"], c["answer"])),
        ("exponents hidden", "", _pct(c["exponent_hidden"], c["exponent"])),
        ("figure numbers hidden", "", _pct(c["figure_hidden"], c["figure"])),
        ("verdict (leaks + render)", "", ("FAIL" if c["leak_any"] or c["render"] else "pass") + gated),
    ]


def print_report(reports: list[Report]) -> None:
    """Print the metrics table (one column per dataset), then the kept examples."""
    columns = [metric_rows(r) for r in reports]
    table = [["metric", "target", *(r.name for r in reports)]]
    for k, (name, target, _) in enumerate(columns[0]):
        table.append([name, target, *(col[k][2] for col in columns)])
    widths = [max(len(row[j]) for row in table) for j in range(len(table[0]))]
    for k, row in enumerate(table):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))
    for r in reports:
        for kind, items in r.examples.items():
            print(f"\n== {r.name}: {kind} (first {len(items)})")
            print("\n".join(f"  {item}" for item in items))


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, evaluate every dataset, print the table; 1 if an OUT_DIR fails."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dirs", nargs="*", type=Path, help="masker output dirs (OUT_DIR/data/**/*.parquet)")
    ap.add_argument("--examples", type=int, default=0, metavar="N", help="print N examples per failure kind")
    ap.add_argument("--reference", type=Path, metavar="INPUT.jsonl", help="also score the reference masking")
    ap.add_argument("--format", choices=["gsm8k", "math"], help="format of the --reference input")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for math-verify")
    args = ap.parse_args(argv)
    if not args.out_dirs and not args.reference:
        ap.error("give at least one OUT_DIR or --reference")
    if args.reference and not args.format:
        ap.error("--reference needs --format gsm8k|math")
    reports = [evaluate(str(d), read_out_dir(d), True, args.examples, args.jobs) for d in args.out_dirs]
    if args.reference:
        rows = reference_rows(args.reference, args.format)
        reports.append(evaluate(f"reference:{args.reference.name}", rows, False, args.examples, args.jobs))
    print_report(reports)
    return 1 if any(r.failed for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
