"""A value put into a function the trace defines ("Setting $x = 5$, we have $36 = 4 + [NUMBER]a$"): the
equation is the definition at 5, so the named reading solves for the constant and evaluates the asked value.
The audit finds it, the masker cuts it, the independent checker finds it too. Traces built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._substituted import original_span, with_applications
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = "A quadratic $f(x)$ has its vertex at $(1, 4)$, and $f(5) = 36$. Find $f(3)$."
TRACE = (
    "Since the vertex is $(1, 4)$, we can write $f(x) = 4 + a(x-1)^2$ for some constant $a$. "
    "Setting $x = 5$, we have $36 = 4 + 16a$, so $a = 2$. Then $f(3) = 4 + 2 \\cdot 2^2 = \\boxed{12}$."
)
MASKED = (
    "Since the vertex is $(1, 4)$, we can write $f(x) = 4 + a(x-1)^2$ for some constant $a$. "
    "Setting $x = 5$, we have $36 = 4 + [NUMBER]a$, so $a = [NUMBER]$. "
    "Then $f(3) = 4 + [NUMBER] \\cdot [NUMBER]^2 = \\boxed{[NUMBER]}$."
)


def names(masked: str, gold: str = "12") -> set[str]:
    return {f.attack for f in attacks(QUESTION, masked, gold)}


def test_the_equation_after_a_setting_is_the_definition_at_that_value():
    text, inserts = with_applications(MASKED)
    assert "$36 = f(5) = 4 + [NUMBER]a$" in text
    (ins,) = inserts
    assert MASKED[ins.start : ins.end] == "5"  # what leans on the application rests on the setting's value
    assert original_span(ins.at, ins.at + ins.length, inserts) == (ins.start, ins.end)
    later = text.index("so $a")
    assert original_span(later, later + 2, inserts) == (MASKED.index("so $a"), MASKED.index("so $a") + 2)
    # an equation that applies the function already, a hidden value, or two functions of x: read as written
    assert with_applications(MASKED.replace("$36 =", "$f(5) =")) == (MASKED.replace("$36 =", "$f(5) ="), [])
    assert with_applications(MASKED.replace("$x = 5$", "$x = [NUMBER]$"))[1] == []
    two = MASKED.replace("for some constant $a$", "and $g(x) = x + 1$")
    assert with_applications(two)[1] == []


def test_the_audit_reads_the_setting_and_the_masker_cuts_it():
    assert "system" in names(MASKED)
    assert "system" not in names(MASKED, "13")  # another gold
    assert "system" not in names(MASKED.replace("$x = 5$", "$x = [NUMBER]$"))
    r = mask_text("math", TRACE, question=QUESTION, answer="12", level="critical")
    assert r.leak is None, r.leak
    assert not names(r.text), r.text
    assert "f(x) = 4 + a(x-1)^2" in r.text  # the definition, the plan, stays


def test_the_checker_reads_the_setting_too():
    marked = (
        TRACE.replace("16a", "⟦16|NUMBER⟧a")
        .replace("$a = 2$", "$a = ⟦2|NUMBER⟧$")
        .replace("4 + 2 \\cdot 2^2", "4 + ⟦2|NUMBER⟧ \\cdot ⟦2|NUMBER⟧^2")
        .replace("\\boxed{12}", "\\boxed{⟦12|NUMBER⟧}")
    )
    assert "system" in checker_leaks("setting", QUESTION, marked, "12")
    assert "system" not in checker_leaks(
        "setting", QUESTION, marked.replace("$x = 5$", "$x = ⟦5|NUMBER⟧$"), "12"
    )
