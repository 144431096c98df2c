"""A value put into a function the trace defines ("Setting $x = 5$, we have $36 = 4 + [NUMBER]a$"): the
equation is the definition at 5, so the named reading solves for the constant and evaluates the asked value.
The audit finds it, the masker cuts it, the independent checker finds it too. Traces built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._substituted import Insert, original_span, with_applications
from smepo_data.math.attacks import _solvable, attacks

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


def names(masked: str, gold: str = "12", question: str = QUESTION) -> set[str]:
    return {f.attack for f in attacks(question, masked, gold)}


def applied(text: str) -> tuple[str, list[Insert]]:
    """The text the `system` attack reads, with its own elimination deciding the identity check."""
    return with_applications(text, _solvable)


def test_the_equation_after_a_setting_is_the_definition_at_that_value():
    text, inserts = applied(MASKED)
    assert "$36 = f(5) = 4 + [NUMBER]a$" in text
    (ins,) = inserts
    assert MASKED[ins.start : ins.end] == "5"  # what leans on the application rests on the setting's value
    assert original_span(ins.at, ins.at + ins.length, inserts) == (ins.start, ins.end)
    later = text.index("so $a")
    assert original_span(later, later + 2, inserts) == (MASKED.index("so $a"), MASKED.index("so $a") + 2)
    # an equation that applies the function already, a hidden value, or two functions of x: read as written
    assert applied(MASKED.replace("$36 =", "$f(5) =")) == (MASKED.replace("$36 =", "$f(5) ="), [])
    assert applied(MASKED.replace("$x = 5$", "$x = [NUMBER]$"))[1] == []
    two = MASKED.replace("for some constant $a$", "and $g(x) = x + 1$")
    assert applied(two)[1] == []


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


def test_only_an_equation_that_is_the_function_at_the_value_gets_the_application():
    # a side that is the definition at 5, its blank any number: written in, whichever side it is
    swapped = MASKED.replace("$36 = 4 + [NUMBER]a$", "$4 + [NUMBER]a = 36$")
    assert "$4 + [NUMBER]a = f(5) = 36$" in applied(swapped)[0]
    when = MASKED.replace("Setting $x = 5$, we have", "When $x = 5$, this gives")
    assert applied(when)[1]
    # simplified (36 - 4 = 16a), or about another object: read as written, and the leak is still found
    simplified = MASKED.replace("$36 = 4 + [NUMBER]a$", "$32 = [NUMBER]a$")
    assert applied(simplified) == (simplified, [])
    line = MASKED.replace(
        "Setting $x = 5$, we have $36 = 4 + [NUMBER]a$", "Setting $x = 5$ in $y = 2x$, we get $y = 10$"
    )
    assert applied(line) == (line, [])
    # a product of blanks (\tfrac{[N]}{[N]}a) is no instance: its blanks do not enter linearly
    ratio = MASKED.replace("$36 = 4 + [NUMBER]a$", "$36 = 4 + \\tfrac{[NUMBER]}{[NUMBER]}a$")
    assert applied(ratio)[1] == []


def test_a_simplified_equation_after_a_setting_keeps_the_leak_the_plain_reading_finds():
    question = "A quadratic $P(x)$ has its vertex at $(1, 1)$, and $P(11) = 181$. Find $P(16)$."
    masked = (
        "So $P(x) = 1 + k(x-1)^2$. Setting $x = 11$, we have $180 = 100k$, so $k = \\frac{9}{5}$. Then "
        "$P(16) = 1 + \\frac{9}{5} \\cdot [NUMBER]^2 = \\boxed{[NUMBER]}$."
    )
    assert "system" in names(masked, "406", question)
    marked = masked.replace("[NUMBER]^2", "⟦15|NUMBER⟧^2").replace(
        "\\boxed{[NUMBER]}", "\\boxed{⟦406|NUMBER⟧}"
    )
    assert "system" in checker_leaks("simplified", question, marked, "406")


def test_a_setting_may_name_the_function_it_goes_into():
    into = MASKED.replace("Setting $x = 5$, we have", "Substituting $x = 5$ into $f(x)$, we get")
    assert "$36 = f(5) = 4 + [NUMBER]a$" in applied(into)[0]
    assert "system" in names(into)
    marked = into.replace("[NUMBER]a$, so", "⟦16|NUMBER⟧a$, so").replace("$a = [NUMBER]$", "$a = ⟦2|NUMBER⟧$")
    marked = marked.replace("4 + [NUMBER] \\cdot [NUMBER]^2", "4 + ⟦2|NUMBER⟧ \\cdot ⟦2|NUMBER⟧^2")
    marked = marked.replace("\\boxed{[NUMBER]}", "\\boxed{⟦12|NUMBER⟧}")
    assert "system" in checker_leaks("into", QUESTION, marked, "12")
