"""A factored form beside the form it factors, with no ``=`` between them (issue 11): "$b^2 - 4b - 5 \\ge 0$,
which factors as $(b + 1)(b - 5) \\ge 0$" with both 5s hidden still gives them, matching coefficients (the
x-term: 1 - [N] = -4). The masker's ``constraints`` attack reads such a pair as an identity in its letter
(the prose says "factor", or both sides stand against the same visible bound) and the repair hides one
more coefficient; the independent checker reads the pair with its own code. Two relations in a row that are
no factorization (another letter, another bound and no "factor") pair nothing. Built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._factored import factored_identities
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = (
    "Let $b$ be a positive real number such that $x^2 + bx + b + \\frac54 = 0$ has real roots. "
    "Find the least $b$."
)
TRACE = (
    "The discriminant must be nonnegative: $b^2 - 4\\left(b + \\frac54\\right) \\ge 0.$ This reduces to "
    "$b^2 - 4b - 5 \\ge 0,$ which factors as $(b + 1)(b - 5) \\ge 0.$ The least positive value that "
    "satisfies it is $\\boxed{5}.$"
)
GOLD = "5"
MASKED = (
    TRACE.replace("4b - 5", "4b - [NUMBER]").replace("(b - 5)", "(b - [NUMBER])").replace("{5}", "{[NUMBER]}")
)


def _pairs(text: str) -> list[tuple[str, str]]:
    return [
        (text[e.left.start : e.left.end], text[e.right.start : e.right.end])
        for e in factored_identities(text)
    ]


def test_a_factored_form_is_read_beside_the_form_it_factors():
    assert ("b^2 - 4b - [NUMBER]", "(b + 1)(b - [NUMBER])") in _pairs(MASKED)
    same_bound = "we need $x^2-5x+6>0$. So $(x-[NUMBER])(x-2)>0$ and"
    assert _pairs(same_bound) == [("x^2-5x+6", "(x-[NUMBER])(x-2)")]
    other_letter = "we need $x^2-5x+6>0$. Factoring, $(y-[NUMBER])(y-2)>0$ and"
    other_bound = "we need $x^2-5x+6>0$. So $(x-[NUMBER])(x-2)<7$ and"
    both_products = "we need $(x-1)(x-6)>0$. Factoring, $(x-[NUMBER])(x-2)>0$ and"
    nothing_hidden = "we need $x^2-5x+6>0$. Factoring, $(x-3)(x-2)>0$ and"
    far = "we need $x^2-5x+6>0$. " + "Words. " * 30 + "Factoring, $(x-[NUMBER])(x-2)>0$ and"
    for text in (other_letter, other_bound, both_products, nothing_hidden, far):
        assert not _pairs(text), text


def test_the_attack_finds_the_hidden_root_and_no_other_pairing():
    found = [f for f in attacks(QUESTION, MASKED, GOLD) if f.attack == "constraints"]
    assert found and "factors as" in MASKED[found[0].start : found[0].end], found
    unrelated = MASKED.replace(
        "which factors as $(b + 1)(b - [NUMBER]) \\ge 0.$", "so $(b + 1)(b - [NUMBER]) < 3.$"
    )
    assert not [f for f in attacks(QUESTION, unrelated, GOLD) if "gold answer, is computed" in f.detail]


def test_the_masker_hides_one_more_coefficient():
    # the masker hides the 3 (the question's) and the 5s; with the 2 of (b + 2) left, -2 * [N] = -10 gives 5
    question = "Find the least positive $b$ such that $b^2 \\ge 3b + 10$."
    trace = (
        "Moving every term to one side, $b^2 - 3b - 10 \\ge 0,$ which factors as $(b + 2)(b - 5) \\ge 0.$ "
        "The least positive value that satisfies it is $\\boxed{5}.$"
    )
    r = mask_text("math", trace, question=question, answer="5")
    assert r.leak is None
    assert "which factors as" in r.text and "\\ge 0" in r.text, r.text
    assert "(b + 2)(b - [NUMBER])" not in r.text, r.text
    assert not [f for f in attacks(question, r.text, "5") if f.attack == "constraints"]


def test_the_checker_reads_the_pair():
    template = (
        "The discriminant must be nonnegative: $b^2 - 4b - ⟦5|NUMBER⟧ \\ge 0,$ which factors as "
        "$(b + 1)(b - ⟦5|NUMBER⟧) \\ge 0.$ The least positive value is $\\boxed{⟦5|NUMBER⟧}.$"
    )
    assert "constraints" in checker_leaks("factored", QUESTION, template, GOLD)
    cut = template.replace("b^2 - 4b", "b^2 - ⟦4|NUMBER⟧b")
    assert "constraints" not in checker_leaks("factored", QUESTION, cut, GOLD)
    unrelated = template.replace("which factors as", "and then").replace(") \\ge 0.$ The", ") < 3.$ The")
    assert "constraints" not in checker_leaks("factored", QUESTION, unrelated, GOLD)


def test_equations_spellings_and_long_rows():
    # "= 0" twice with no "factor": the same bound; one relation spelt two ways; a pair after many statements
    assert _pairs("We get $a^2 - 11a + [NUMBER] = 0$, or $(a - 6)(a - [NUMBER]) = 0$.")
    assert _pairs("So $a^2 - 11a + 30 < 0$, i.e. $(a - 6)(a - [NUMBER]) \\lt 0$.")
    assert _pairs("So $a^2 - 11a + 30 \\geqslant 0.5$, i.e. $(a - 6)(a - [NUMBER]) \\ge \\frac12$.")
    fillers = " ".join(f"$t_{{{k}}} > {k + 10}$," for k in range(70))
    assert _pairs(fillers + " then $x^2-5x+[NUMBER] \\ge 0$, so $(x-2)(x-[NUMBER]) \\ge 0$.")
    # a constant factored out is no factorization: "3(x - 2)" beside "3x - [N]" pairs nothing
    assert not _pairs("We need $3x - [NUMBER] > 0$ and $3(x - 2) > 0$ for both logs.")
    assert _pairs("We need $3x^2 - [NUMBER] > 0$, that is $3(x - 2)^2 > 0$.")  # a square is two factors
