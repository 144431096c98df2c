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
    # (the rewrite before it, "This reduces to", is read too: it fixes the same blank)
    assert any("factors as" in MASKED[f.start : f.end] for f in found), found
    unrelated = MASKED.replace(
        "which factors as $(b + 1)(b - [NUMBER]) \\ge 0.$", "so $(b + 1)(b - [NUMBER]) < 3.$"
    ).replace("This reduces to", "Also,")
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


# A form beside the one it rewrites (round 48's MATH-500 1000): "$(a - 1)^2 - [N] \ge 0.$ This reduces
# to $a^2 - [N]a - [N] \ge 0,$ which factors as $(a + 1)(a - [N]) \ge 0$": the first pair fixes the 2 and
# ties the constant to the first blank; with the factored pair, the hidden root follows.


def test_a_form_beside_the_one_the_prose_says_it_rewrites_is_one_polynomial():
    masked = "Since $(a - 1)^2 - [NUMBER] \\ge 0.$ This reduces to $a^2 - [NUMBER]a - [NUMBER] \\ge 0,$ so"
    assert ("(a - 1)^2 - [NUMBER]", "a^2 - [NUMBER]a - [NUMBER]") in _pairs(masked)
    # no cue, another bound, or a bound that is not written the same: two statements, not one polynomial
    assert not _pairs(masked.replace("This reduces to", "Also"))
    assert not _pairs(masked.replace("[NUMBER] \\ge 0,$ so", "[NUMBER] \\ge 2,$ so"))
    # a scaled rewrite ("reduces to" after dividing by 2) is no identity: it fixes no blank
    scaled = "Since $2a^2 - 4a - [NUMBER] \\ge 0.$ This reduces to $a^2 - [NUMBER]a - 3 \\ge 0,$ so"
    assert not [f for f in attacks("Find a.", scaled, "6") if "gold answer, is computed" in f.detail]


def test_the_rewrite_and_the_factorization_together_give_the_hidden_root():
    question = (
        "Let $a$ be a positive real number such that all roots of $x^2 + (a - 1)x + 1 = 0$ are real. "
        "Find the least $a$."
    )
    template = (
        "The discriminant is nonnegative: \\[(a - 1)^2 - ⟦4|NUMBER⟧ \\ge 0.\\]This reduces to "
        "$a^2 - ⟦2|NUMBER⟧a - ⟦3|NUMBER⟧ \\ge 0,$ which factors as $(a + 1)(a - ⟦3|NUMBER⟧) \\ge 0.$ "
        "The least positive value is $\\boxed{⟦3|NUMBER⟧}.$"
    )
    from .test_recover_check import row

    masked = row("", "", template, "")["masked_trace"]
    assert [f for f in attacks(question, masked, "3") if f.attack == "constraints"]
    assert "constraints" in checker_leaks("rewritten", question, template, "3")
    # without the rewrite's cue the factored pair alone leaves the root open: a^2 - [N]a - [N] = (a+1)(a-[N])
    apart = template.replace("This reduces to", "Also,")
    assert not [
        f for f in attacks(question, row("", "", apart, "")["masked_trace"], "3") if f.attack == "constraints"
    ]
    assert "constraints" not in checker_leaks("rewritten_apart", question, apart, "3")
    # the masker cuts it, and never by hiding the 0 of a bound
    trace = row("", "", template, "")["trace"]
    r = mask_text("math", trace, question=question, answer="3")
    assert r.leak is None and "constraints" not in checker_leaks(
        "rewritten_masked", question, _template_of(trace, r), "3"
    )
    assert "\\ge [NUMBER]" not in r.text, r.text


def _template_of(trace: str, result) -> str:
    """``trace`` with each of ``result``'s spans marked as a template (⟦original|TYPE⟧)."""
    out, last = [], 0
    for s in sorted(result.spans, key=lambda s: s.start):
        out.append(trace[last : s.start])
        out.append(f"⟦{trace[s.start : s.end]}|{'NUMBER' if s.kind == 'number' else s.kind.upper()}⟧")
        last = s.end
    out.append(trace[last:])
    return "".join(out)


def test_a_rewrite_is_read_without_a_product_and_only_where_the_prose_ends_on_it():
    # no product anywhere in the text: the rewrite still fixes the hidden 3 (the checker reads it too)
    question = "For which b is $x^2 + bx - 10 \\ge 0$ the inequality below?"
    template = (
        "We have $$x^2 + 5x - 2x - 10 \\ge 0.$$ This simplifies to $$x^2 + ⟦3|NUMBER⟧x - 10 \\ge 0,$$ so "
        "$b = \\boxed{⟦3|NUMBER⟧}$."
    )
    from .test_recover_check import row

    masked = row("", "", template, "")["masked_trace"]
    assert [f for f in attacks(question, masked, "3") if f.attack == "constraints"]
    assert "constraints" in checker_leaks("rewrite_plain", question, template, "3")
    r = mask_text("math", row("", "", template, "")["trace"], question=question, answer="3")
    assert r.leak is None and not [f for f in attacks(question, r.text, "3") if f.attack == "constraints"]
    # the cue must say the second statement rewrites the first, right before it, and not negated
    for words in (
        "The second, which we simplify the same way, is",
        "This is not equivalent to",
        "The irreducible one is",
    ):
        other = template.replace("This simplifies to", words)
        assert not _pairs(row("", "", other, "")["masked_trace"]), words
        assert "constraints" not in checker_leaks("rewrite_not", question, other, "3"), words


def test_a_scaled_rewrite_fixes_no_blank_even_beside_a_product():
    # halved: [2]x^2 - [4]x - 6 >= 0 "reduces to" x^2 - 2x - [3] >= 0; read as one polynomial, the blank
    # holding 4 would come out as 2 (the gold here); (x+1)(x-1) elsewhere makes the text hold a product
    masked = (
        "Note $(x+1)(x-1) = x^2 - 1$. Then $$[NUMBER]x^2 - [NUMBER]x - 6 \\ge 0.$$ This reduces to "
        "$$x^2 - 2x - [NUMBER] \\ge 0.$$"
    )
    assert not _pairs(masked)
    assert not [f for f in attacks("Find k.", masked, "2") if "gold answer, is computed" in f.detail]


def test_a_zero_after_a_relation_is_the_repairs_last_pick():
    from smepo_data.math._lexer import scan_cached
    from smepo_data.math.masker import _bound_of_zero

    def zeros(text: str) -> list[bool]:
        return [_bound_of_zero(text, a) for a in scan_cached(text).atoms if a.values[0] == 0]

    assert zeros("so $a \\neq 0$ and $x \\ge\\, 0$, and $y = 0$") == [True, True, True]
    assert zeros("<<3-3=0>>0 inches were left, 0 more") == [False, False, False]


# The discriminant of a visible quadratic (round 48's targeted reading, MATH-500 1000): "$(x - 2)(x^2 + (c -
# 3)x + 4) = 0.$ ... its discriminant is nonnegative: $(c - [N])^2 - [N] \ge 0$" is (c - 3)^2 - 16: a reader
# computes it from the visible factor, and the blanks follow.
DISC_QUESTION = (
    "For which positive $c$ does the quadratic factor of $x^3 + (c - 5)x^2 + (10 - 2c)x - 8$ have a double "
    "root?"
)
DISC = (
    "Since $x = 2$ is a root, we factor: \\[(x - 2)(x^2 + (c - 3)x + 4) = 0.\\]The quadratic factor has a "
    "double root when its discriminant is zero: \\[(c - ⟦3|NUMBER⟧)^2 - ⟦16|NUMBER⟧ = 0,\\] so the "
    "positive value is $c = \\boxed{⟦7|NUMBER⟧}.$"
)


def test_the_discriminant_of_a_visible_quadratic_fixes_the_blanks_of_its_statement():
    from .test_recover_check import row

    masked = row("", "", DISC, "")["masked_trace"]
    got = [
        (masked[e.left.start : e.left.end], masked[e.right.start : e.right.end])
        for e in factored_identities(masked)
    ]
    assert ("(c - [NUMBER])^2 - [NUMBER]", "x^2 + (c - 3)x + 4") in got, got
    found = [f for f in attacks(DISC_QUESTION, masked, "7") if f.attack == "constraints"]
    assert found, masked
    assert "constraints" in checker_leaks("discriminant", DISC_QUESTION, DISC, "7")
    # the quadratic's own value hidden: no discriminant a reader computes
    cut = DISC.replace("(c - 3)x", "(c - ⟦3|NUMBER⟧)x")
    cut_masked = row("", "", cut, "")["masked_trace"]
    assert not [f for f in attacks(DISC_QUESTION, cut_masked, "7") if f.attack == "constraints"]
    assert "constraints" not in checker_leaks("discriminant_cut", DISC_QUESTION, cut, "7")
    # the masker cuts it in the quadratic, and keeps the other factor whole
    r = mask_text("math", row("", "", DISC, "")["trace"], question=DISC_QUESTION, answer="7")
    assert r.leak is None and "(x - 2)" in r.text and "(x^2 + (c - 3)x + 4)" not in r.text, r.text
    trace = row("", "", DISC, "")["trace"]
    assert "constraints" not in checker_leaks(
        "discriminant_masked", DISC_QUESTION, _template_of(trace, r), "7"
    )
