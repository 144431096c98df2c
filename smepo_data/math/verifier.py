"""The math verifier: the trainer's reward and the leak audit's judge, on math-verify.

``reward`` asks "does this completion earn the reward?"; ``leak`` asks "would this masked trace alone
earn it, or does it still show the answer?". Both extract answers the same way, so a masked trace that
passes the audit gives the policy nothing the reward would accept.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import replace
from functools import lru_cache
from itertools import groupby
from typing import Any

from .._leak import Finding
from .._model import Example
from ._lexer import Statement, answer_statements
from ._rational import Fraction
from ._values import plain_number, too_large
from .attacks import attacks as math_attacks


class _NoTimeoutNotice(logging.Filter):
    """math-verify warns on every call made without its timeout; the audit turns the timeout off on
    purpose (a verdict must not depend on load), so the notice says nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Timeout is disabled")


@lru_cache(maxsize=1)
def _math_verify() -> Any:
    try:
        import math_verify
        from math_verify import parser
    except ImportError as e:  # pragma: no cover - exercised only without the extra
        raise ImportError("the math domain needs math-verify: pip install 'smepo[math]'") from e
    for name in ("math_verify.parser", "math_verify.grader", "math_verify.utils"):
        logging.getLogger(name).addFilter(_NoTimeoutNotice())
    return math_verify, parser


def _required_literal(pattern: str) -> str:
    """A substring every match of ``pattern`` contains (lower-cased text), or ``""``: lets us skip
    math-verify's costly regexes on texts that cannot match them."""
    if "(?i:final answer" in pattern:
        return "final answer"
    if "(?i:answer)" in pattern:
        return "answer"
    if "\\boxed" in pattern:
        return "\\boxed"
    return ""


@lru_cache(maxsize=1)
def _extraction_regexes() -> list[tuple[re.Pattern[str], Any, int, str]]:
    _, parser = _math_verify()
    configs = [parser.LatexExtractionConfig(), parser.ExprExtractionConfig()]
    patterns = [
        (pat, cfg, prio, _required_literal(pat.pattern))
        for pats, cfg in parser.get_extraction_regexes(configs)
        for pat, prio in pats
    ]
    return sorted(patterns, key=lambda x: x[2])  # stable, as math-verify sorts them


@lru_cache(maxsize=65536)
def _rational(number: str) -> Any:
    import sympy

    v = Fraction(number)
    return sympy.Rational(v.numerator, v.denominator)


def _fast_number(match: re.Match[str]) -> tuple[Any, str] | None:
    """math-verify's own reading of a plain-number match (value and string), without its slow
    ``Number(str)`` call; ``None`` for anything but a plain number."""
    groups = match.groupdict()
    if groups.get("expr") or groups.get("percent"):
        return None  # expressions and percentages (25% == 25 for math-verify) take math-verify's path
    integer = next((v for k, v in groups.items() if k.startswith("integer") and v), "")
    decimal = next((v for k, v in groups.items() if k.startswith("decimal") and v), "")
    if not (integer or decimal):
        return None
    integer = integer.translate(str.maketrans("", "", ", ")).lstrip("0") or "0"
    number = f"{integer}{decimal.replace(',', '.')}"
    try:
        return _rational(number), number
    except (ValueError, ZeroDivisionError):
        return None


_MATCH_CACHE: dict[tuple[int, str], tuple[Any, str]] = {}

#: the longest match handed to math-verify's LaTeX parser: past it the parse takes seconds (10 s on a boxed
#: answer of 5,000 letters) and reads nothing a gold answer is; such a match reads as no value
LONGEST_PARSED = 2000


def _extract_match(m: re.Match[str], cfg: Any) -> tuple[Any, str]:
    """``parser.extract_match``, memoised on the pattern and the matched text (which fix its groups)."""
    if len(m.group()) > LONGEST_PARSED or too_large(m.group()):
        return None, ""  # (a number too large to compute: no value, as the gold's is none)
    key = (id(m.re), m.group())
    hit = _MATCH_CACHE.get(key)
    if hit is None:
        _, parser = _math_verify()
        hit = _doomed_latex(m, cfg, parser) or parser.extract_match(m, cfg)
        if len(_MATCH_CACHE) > 50000:
            _MATCH_CACHE.clear()
        _MATCH_CACHE[key] = hit
    return hit


#: LaTeX that ends in an operator, "=" or "(" has no parse (the grammar wants an operand after it)
_DANGLING = re.compile(r"(?:[-+*/=(,^_]|\\(?:times|cdot|div|pm))\s*$")


def _doomed_latex(m: re.Match[str], cfg: Any, parser: Any) -> tuple[None, str] | None:
    """``extract_latex``'s result, ``(None, first normalised group)``, for a match whose first LaTeX group
    cannot parse, without the ~30 ms the parser takes to fail (fragments such as ``10 +`` or ``3 =`` are
    common in masked traces); ``None`` when the match needs the real parse."""
    if not isinstance(cfg, parser.LatexExtractionConfig):
        return None
    first = next(((v, k) for k, v in m.groupdict().items() if k.startswith("first_latex") and v), None)
    if first is None:
        return None
    latex, name = first
    config = cfg.normalization_config
    if len(parts := name.split("_")) > 1 and parts[1] == "latexBoxed":
        config = replace(config, boxed="last")
    normalized = parser.normalize_latex(latex, config=config)
    return (None, normalized) if _DANGLING.search(normalized) else None


#: two words in a row and no LaTeX command: a sentence, not a formula
_PROSE = re.compile(r"(?<![A-Za-z])[A-Za-z]{2,}+[ \t]++[A-Za-z]{2}")


def _prose(match: str) -> bool:
    """Is this ``$...$`` match a sentence between two currency signs?"""
    return match.startswith("$") and "\\" not in match and bool(_PROSE.search(match))


#: a run of blanks: LaTeX reads it as one, and math-verify's normalisation (``\\s*`` before a word, a unit
#: at the end) re-reads a long run from each of its positions: 70 s on "7" + 20,000 spaces + "\\text{cm}"
_BLANKS = re.compile(r"[ \t]{2,}|\n[ \t\n]*\n")


def _squeezed(text: str) -> str:
    """``text`` with each run of blanks written as one blank (one line break where the run breaks lines)."""
    return _BLANKS.sub(lambda m: "\n" if "\n" in m.group() else " ", text)


def extract(text: str, timeout_s: int | None = 5) -> list[Any]:
    """The answer math-verify extracts from ``text`` (same regexes, priorities and order as
    ``math_verify.parse``, same result), with plain numbers read without sympy's string parser. Two
    bounds on hostile text: a run of blanks reads as one blank, and a match longer than
    :data:`LONGEST_PARSED` characters as no value."""
    return _extract(text, timeout_s)[0]


def _extract(text: str, timeout_s: int | None = 5, prose_is_math: bool = True) -> tuple[list[Any], str]:
    """``extract``, and the text the extracted value was read from. Without ``prose_is_math``, a match
    that is prose between two currency signs (``$12 and she makes $``) is read as no value, where
    math-verify would hand it to its LaTeX parser (30-90 ms) and stop at the product of letters it makes:
    the audit reads on to the values before it, as a reader does."""
    _, parser = _math_verify()
    if threading.current_thread() is not threading.main_thread():
        timeout_s = None  # math-verify's timeout is signal.alarm: main thread only

    text = _squeezed(text)
    lower = text.lower()

    def run() -> tuple[list[Any], str]:  # mirrors parser.extract_target_from_pred, any_match + first_match
        extracted: list[Any] = []
        fallbacks: list[str] = []
        source = ""
        for _, group in groupby(_extraction_regexes(), key=lambda x: x[2]):
            matches = sorted(
                ((m, cfg) for pat, cfg, _, lit in group if lit in lower for m in pat.finditer(text)),
                key=lambda x: (x[0].end(), -x[0].start()),
                reverse=True,
            )
            for m, cfg in matches:
                if not prose_is_math and isinstance(cfg, parser.LatexExtractionConfig) and _prose(m.group()):
                    continue
                fast = _fast_number(m) if isinstance(cfg, parser.ExprExtractionConfig) else None
                value, as_str = fast if fast is not None else _extract_match(m, cfg)
                if as_str:
                    fallbacks.append(as_str)
                if value is not None:
                    extracted.append(value)
                    source = m.group()
                    break
            if extracted:
                break
        return extracted + fallbacks[:1], source

    try:
        return parser.timeout(timeout_s)(run)()
    except (Exception, parser.TimeoutException):  # noqa: BLE001 - as math_verify.parse: no answer then
        return [], ""


@lru_cache(maxsize=16384)
def parse_gold_for_verify(answer: str) -> tuple[Any, ...]:
    math_verify, _ = _math_verify()
    plain = plain_number(answer.strip().strip("$"))
    if plain is not None:
        return (_rational(str(plain)), answer)
    if too_large(answer):
        return (answer,)  # compared as text: its value is too large to compute (parse_gold reads none)
    text = _squeezed(answer if "\\boxed" in answer else f"${answer}$")
    parsed = math_verify.parse(
        text, parsing_timeout=None
    )  # the gold is short; and no verdict may hang on load
    return tuple(parsed)


def _quick_compare(gold: Any, pred: Any) -> bool | None:
    """math-verify's verdict for two plain rationals (exact, or equal once rounded to 6 decimals, as
    ``verify`` rounds floats), without its general machinery; ``None`` for anything else."""
    import sympy

    if isinstance(gold, sympy.Rational) and isinstance(pred, sympy.Rational):
        return bool(gold == pred) or round(float(gold), 6) == round(float(pred), 6)
    if isinstance(gold, sympy.Rational) and isinstance(pred, sympy.Add | sympy.Mul) and not pred.free_symbols:
        value = pred.doit()  # arithmetic on numbers, kept unevaluated by the parser: 200 - 1*16
        if isinstance(value, sympy.Rational):
            return _quick_compare(gold, value)
    if isinstance(gold, sympy.Number) and isinstance(pred, sympy.Expr) and pred.free_symbols:
        return False  # a number never equals an expression in free symbols (placeholders parse as such)
    if (
        isinstance(gold, sympy.Number)
        and isinstance(pred, sympy.Tuple | sympy.FiniteSet)
        and not any(isinstance(e, sympy.Number) and _quick_compare(gold, e) is not False for e in pred.args)
    ):
        return False  # no element is even a candidate
    return None


def _rounded(v: Fraction) -> float | None:
    """``v`` to six decimals, ``None`` beyond a float's range (a 400-digit answer)."""
    try:
        return round(float(v), 6)
    except OverflowError:
        return None


def _same_text(stated: str, answer: str) -> bool:
    """Is the trace's stated answer the gold answer's own text (both stripped)? Then ``wrong_trace`` says
    "not wrong" without a parse: ``\\boxed{A}`` and ``$A$`` go through the same LaTeX normalisation and
    parser, and ``verify`` accepts equal readings (and equal strings when neither parses). An argument,
    not a proof for every LaTeX text: the full path agreed on every MATH-500 and GSM8K row and on the
    constructed answers of tests/test_math_verifier_fast.py."""
    return bool(stated.strip()) and stated.strip() == answer.strip()


def _not_gold_text(extracted: str, answer: str) -> bool:
    """Can the string ``extracted`` (a reading math-verify could not parse) never equal a string reading
    of the gold ``answer``? Those are the answer's own text, or pieces of it through
    ``normalize_latex``, which drops and rewrites commands but writes no capital letter the answer
    lacks: an extracted ``\\boxed{[ANSWER]}`` cannot be one unless the answer holds A, N, S, W, E, R."""
    text = extracted.strip()
    return not text or any(c.isascii() and c.isupper() and c not in answer for c in text)


_PLACEHOLDER = re.compile(r"\[[A-Z]+(?:_\d+)?\]")


#: a final answer's marker with nothing in it: ``\\boxed{}``, ``\\boxed{\\text{ }}``, a bare ``####`` line
_EMPTY_MARKER = re.compile(
    r"\\(?:boxed|fbox)\s*\{(?:\s|\$|\\[,;:! ]|\\(?:text|mathrm)\s*\{\s*\})*\}|^[ \t]*####[ \t]*$", re.M
)


def _last_empty_marker(trace: str, statements: list[Statement]) -> str | None:
    """The trace's last answer marker when it is empty (``\\boxed{}``, a bare ``####``) and no answer
    statement comes after it, else ``None``: such a trace concludes nothing, so it is no guidance."""
    if "boxed" not in trace and "fbox" not in trace and "####" not in trace:
        return None
    empty = list(_EMPTY_MARKER.finditer(trace))
    if not empty or any(s.start >= empty[-1].end() for s in statements):
        return None
    return empty[-1].group().strip()


class MathVerifier:
    """Reward and leak audit for math answers."""

    def __init__(self, timeout_s: int = 5):
        self.timeout_s = timeout_s

    def reward(self, completion: str, answer: str, **row: Any) -> float:
        """1.0 when math-verify accepts the answer extracted from ``completion``, else 0.0."""
        return 1.0 if self._accepts(answer, extract(completion, self.timeout_s)) else 0.0

    def _accepts(self, answer: str, pred: list[Any], timeout: int | None | bool = True) -> bool:
        """``math_verify.verify(gold, pred)``: any gold reading equals any extracted one; plain
        rationals and number-vs-symbols pairs are decided without sympy's simplifier. ``timeout``:
        ``True`` for the verifier's own (the reward's), ``None`` for none (the audit)."""
        if all(isinstance(t, str) and _not_gold_text(t, answer) for t in pred):
            return False  # no reading to compare: math-verify's parse of the gold cannot change that
        return self._verdict(answer, pred, timeout)

    def _verdict(self, answer: str, pred: list[Any], timeout: int | None | bool) -> bool:
        """``_accepts`` on the full path: every reading of the gold against every extracted one."""
        math_verify, parser = _math_verify()
        if timeout is True:
            timeout = self.timeout_s
        if threading.current_thread() is not threading.main_thread():
            timeout = None
        for g in parse_gold_for_verify(answer):
            for t in pred:
                if isinstance(g, str) or isinstance(t, str):
                    if isinstance(g, str) and isinstance(t, str) and g.strip() and g.strip() == t.strip():
                        return True
                    continue
                quick = _quick_compare(g, t)
                if quick is None:
                    try:
                        quick = bool(math_verify.verify([g], [t], timeout_seconds=timeout))
                    except (Exception, parser.TimeoutException):  # noqa: BLE001 - sympy failure: "not equal"
                        quick = False
                if quick:
                    return True
        return False

    def validate(self, example: Example) -> None:
        """Nothing to check up front for math: the gold answer is read by the masker's validate."""

    def wrong_trace(self, example: Example) -> str | None:
        """Why the trace's own final answer (what math-verify extracts from it, as from a completion) is
        not the gold, or ``None`` when it is, or when the trace states no answer that can be read."""
        return self._wrong_trace(example, fast=True)

    def _wrong_trace(self, example: Example, fast: bool) -> str | None:
        """``wrong_trace``; ``fast``: a stated answer that is the gold's own text, character for
        character, is the gold (see :func:`_same_text`) without math-verify's LaTeX parse of either."""
        statements = answer_statements(example.trace)
        empty = _last_empty_marker(example.trace, statements)
        if empty is not None and example.answer.strip():
            shown = example.answer.strip()[:40]
            return f"the trace concludes with an empty {empty!r}, not the gold answer {shown!r}"
        marked = [s for s in statements if "boxed" in s.reason or "####" in s.reason]
        if statements:  # the trace's own last statement of its answer: \boxed{}, "#### N", "The answer is N"
            last = max(marked or statements, key=lambda s: s.start)
            source = example.trace[last.start : last.end]
            if fast and _same_text(source, example.answer):
                return None
            stated, gold = plain_number(source), plain_number(example.answer.strip().strip("$"))
            if stated is not None and gold is not None:  # "#### 72" against "72": no parser needed
                near = _rounded(stated)
                if stated == gold or (near is not None and near == _rounded(gold)):
                    return None
                return f"the trace concludes {source.strip()[:60]!r}, not the gold answer {gold}"
            pred, _ = _extract(f"\\boxed{{{source}}}", None)
        else:  # else what math-verify reads off it, as it would off a completion
            pred, source = _extract(example.trace, None)
        if not [p for p in pred if not isinstance(p, str)] or self._accepts(
            example.answer, pred, timeout=None
        ):
            return None
        shown = example.answer.strip()[:40]
        return f"the trace concludes {source.strip()[:60]!r}, not the gold answer {shown!r}"

    def attacks(self, example: Example, masked: str) -> list[Finding]:
        """The recoverability audit (:mod:`smepo_data.math.attacks`), led by ``extract``: math-verify, the
        reward's own extraction, reads the gold answer off the masked trace.

        No timeout: what the audit decides must not depend on the machine's load (the pipeline's CPU
        budget per row rejects a row that takes too long, and says so)."""
        found: list[Finding] = []
        pred, source = _extract(masked, None, prose_is_math=False)
        if _PLACEHOLDER.search(source):
            pred = [p for p in pred if isinstance(p, str)]  # the extracted value is a blank
        if self._accepts(example.answer, pred, timeout=None):
            at = masked.rfind(source) if source else -1
            found.append(
                Finding(
                    "extract",
                    f"math-verify extracts the gold answer from {source.strip()[:60]!r}",
                    at,
                    at + len(source) if at >= 0 else -1,
                )
            )
        found.extend(math_attacks(example.question, masked, example.answer, example.trace))
        return found

    def leak(self, example: Example, masked: str) -> str | None:
        """The first finding of :meth:`attacks`, as text, or ``None``."""
        found = self.attacks(example, masked)
        return str(found[0]) if found else None
