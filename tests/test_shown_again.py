"""Repairs are greedy: a later round's cut can make an earlier round's span useless. Once a row is clean,
each span a repair added that the masker allows (the math masker: wide spans that cut a chain) is tried
visible again, widest first, and stays visible when the attacks find nothing without it; a span the masker
chose itself, or one hidden because it states the answer, is never tried."""

from __future__ import annotations

from dataclasses import dataclass, field

from smepo_data import Span
from smepo_data._api import _shown_again
from smepo_data._leak import Finding
from smepo_data._model import Example, repair_reason
from smepo_data._render import merge_spans
from smepo_data.math.masker import MathMasker

TRACE = "Sum 12 + 30 = 42, then 42 * 2 = 84, so the answer is 84."


@dataclass
class _Masker:
    width: int = 2

    def may_show_again(self, span: Span) -> bool:
        return span.end - span.start >= self.width and span.reason.startswith("audit (replay)")


@dataclass
class _Verifier:
    """Finds a leak while ``42 * 2`` is visible and the final 84 is too."""

    calls: list[str] = field(default_factory=list)

    def attacks(self, example: Example, masked: str) -> list[Finding]:
        self.calls.append(masked)
        return [Finding("replay", "42 * 2 gives 84", 0, 1)] if "42 * 2 = 84" in masked else []


@dataclass
class _Domain:
    masker: _Masker
    verifier: _Verifier


def span(text: str, attack: str | None, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TRACE.index(text, start + 1)
    reason = repair_reason(attack, "test") if attack else "final answer"
    return Span(start, start + len(text), "number", reason, text)


def test_a_repair_no_longer_needed_is_shown_again():
    first = [span("84", None, 1)]  # the masker's own: the stated answer
    cut = span("84", "replay")  # the step's result: the cut that is needed
    extra = span("12 + 30", "replay")  # an earlier round's whole expression: useless once 84 is cut
    domain = _Domain(_Masker(), _Verifier())
    example = Example("0", "math", "q", TRACE, "84")
    kept = _shown_again(domain, example, first, sorted([*first, cut, extra]), "typed")
    assert kept == sorted([*first, cut])
    assert len(domain.verifier.calls) == 2  # one attack pass per span tried: the two repairs


def test_a_needed_repair_and_the_maskers_own_spans_stay():
    first = [span("30", None), span("84", None, 1)]
    cut = span("84", "replay")
    around = span("12 + 30", "replay")  # merged with the masker's own 30: never tried
    domain = _Domain(_Masker(), _Verifier())
    example = Example("0", "math", "q", TRACE, "84")
    spans = merge_spans([*first, cut, around])
    assert _shown_again(domain, example, first, spans, "typed") == spans
    assert len(domain.verifier.calls) == 1  # only the cut was tried, and it is needed


def test_without_the_hook_nothing_is_tried():
    @dataclass
    class Plain:
        pass

    domain = _Domain(Plain(), _Verifier())  # type: ignore[arg-type]
    spans = [span("84", "replay")]
    assert _shown_again(domain, Example("0", "math", "q", TRACE, "84"), [], spans, "typed") == spans
    assert domain.verifier.calls == []


def test_the_math_masker_tries_wide_cuts_only():
    masker = MathMasker()
    wide = Span(0, 20, "expression", repair_reason("replay", "a side evaluates to the gold"), "")
    assert masker.may_show_again(wide)
    assert masker.may_show_again(Span(0, 20, "figure", repair_reason("restated", "a point"), ""))
    assert not masker.may_show_again(Span(0, 2, "number", repair_reason("replay", "x"), ""))  # a number
    # a value that states the answer, or the masker's own choice, stays hidden
    assert not masker.may_show_again(Span(0, 20, "expression", repair_reason("equivalent_form", "x"), ""))
    assert not masker.may_show_again(Span(0, 20, "expression", "result of a computation in the trace", ""))
