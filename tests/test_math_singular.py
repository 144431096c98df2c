"""A singular noun after a blank tells the blank is 1 ("[NUMBER] more egg" where the question counts eggs):
where the gold is 1 the audit finds it and the repair hides the noun, not the words around it. Traces built
for the test."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._answer import parse_gold
from smepo_data.math._singular import counted_noun, plurals, singular_nouns

from .test_recover_check import checker_leaks

PEARS_Q = "Ann has 3 pears and needs 4 pears for a pie. How many more pears does she need?"


def _nouns(question: str, masked: str, gold: str = "1") -> list[str]:
    return [masked[f.start : f.end] for f in singular_nouns(question, masked, parse_gold(gold))]


def test_a_singular_noun_after_a_blank_reads_a_gold_of_one():
    masked = (
        "She needs [NUMBER] - [NUMBER] = <<[NUMBER]-[NUMBER]=[NUMBER]>>[NUMBER] more pear.\n#### [NUMBER]"
    )
    assert _nouns(PEARS_Q, masked) == ["pear"]
    assert _nouns(PEARS_Q, masked, gold="2") == []  # a 1 that is no answer tells nothing
    assert _nouns(PEARS_Q, masked.replace("pear.", "pears.")) == []
    # "berry" for "berries", "loaf" for "loaves", "child" for "children"
    assert "berries" in plurals("berry") and "loaves" in plurals("loaf") and "children" in plurals("child")


def test_a_noun_is_countable_where_a_count_stands_before_its_plural():
    # "remain" is no noun because "remains" is written: no count stands before "remains"; "bus" is one
    q = "A jar has 10 cookies. Tom eats 4, then 5 more. How many cookies remain?"
    masked = "So [NUMBER] remain in the jar, and then [NUMBER] cookie remains.\n#### [NUMBER]"
    assert _nouns(q, masked) == ["cookie"]
    assert _nouns("Two buses leave. How many more buses come?", "So [NUMBER] more bus comes.") == ["bus"]
    # an ordinal, a pair and a time are counted nouns; a cardinal or a multiplier is none
    assert _nouns("Ann took 6 seconds, Bo 5 seconds.", "Ann took [NUMBER] second longer.") == ["second"]
    assert _nouns("Q", "It is [NUMBER] million, 3 millions in all, and so on.") == []


def test_nouns_that_are_singular_whatever_their_count_tell_nothing():
    q = "A 5 ounce cup of lemonade costs $3. How many cups does one lemon make, if one lemon makes 4 cups?"
    for masked in (
        "The [NUMBER] ounce cup holds lemonade; cups cost more.",  # a modifier of "cup"
        "It is a [NUMBER]-ounce cup; ounces add up.",  # a compound modifier
        "They split the $[NUMBER] cost, and costs add up.",  # the noun of a sum of money
        "So [NUMBER] lemon makes [NUMBER] cups of lemonade, and lemons are cheap.\nThen we pour.",
    ):
        assert _nouns(q, masked) == [], masked
    # the question's own "one lemon", but where the trace states its result: the answer, told
    assert _nouns(q, "Two lemons cost less. Then [NUMBER] lemon makes the cups.\n#### [NUMBER]") == ["lemon"]
    assert _nouns(
        q, "The cups take <<[NUMBER]/[NUMBER]=[NUMBER]>>[NUMBER] lemon, and 2 lemons are cheap."
    ) == ["lemon"]


def test_the_repair_hides_the_noun_and_keeps_the_count_and_the_plan():
    trace = "She needs 4 - 3 = <<4-3=1>>1 more pear.\n#### 1"
    r = mask_text("math", trace, question=PEARS_Q, answer="1")
    assert r.leak is None
    assert "[NUMBER] more [ENTITY]." in r.text  # the blank and the noun stay two: never one [ENTITY]


def test_a_count_in_words_and_its_noun_stay_two_blanks():
    # "one pizza": the number word and the noun are hidden apart, never one [EXPR]; a number word after a
    # count ("goes into 999 six times") is no noun
    q = "Mia eats 3 slices of a pizza cut in 6. How many pizzas does she need for 6 slices?"
    trace = "She eats 3/6 of a pizza. So she needs to buy one pizza because 6/6 = 1.\n#### 1"
    r = mask_text("math", trace, question=q, answer="1")
    assert r.leak is None
    assert "buy [NUMBER] [ENTITY] because" in r.text, r.text
    assert not counted_noun("It goes into 999 six times.", 15, 18)
    assert counted_noun("She buys 1 more pear.", 16, 20)


DIVISIBLE_Q = "How many of the first one hundred positive integers are divisible by $3, 4,$ and $5?$"


def test_a_math_count_of_one_in_words_reads_a_gold_of_one():
    # round 47's MATH-500 1201: "number" is countable though no "numbers" is written; a preposition may
    # follow it, an adjective ("such") stand before it, and the blank may close a box before it
    masked = (
        "Clearly, there is only [NUMBER] number between $[NUMBER]$ and $[NUMBER]$ divisible by $[NUMBER];$. "
        "Thus there is only $\\boxed{[NUMBER]}$ such number."
    )
    assert _nouns(DIVISIBLE_Q, masked) == ["number", "number"]
    assert _nouns(DIVISIBLE_Q, masked, gold="2") == []
    assert _nouns("Solve it.", "It has [NUMBER] real root.") == ["root"]
    assert _nouns("Q", "We use [NUMBER] number theory fact.") == []  # a noun modifying another
    assert set(
        checker_leaks("singular_number", DIVISIBLE_Q, masked.replace("[NUMBER]", "⟦1|NUMBER⟧"), "1")
    ) == {"equivalent_form"}


def test_the_repair_hides_a_math_noun_with_its_count_or_as_a_word():
    trace = (
        "Clearly, there is only 1 number between 1 and 100 divisible by 60; that is, 60 itself. Thus "
        "there is only $\\boxed{1}$ such number."
    )
    r = mask_text("math", trace, question=DIVISIBLE_Q, answer="1")
    assert r.leak is None
    # the noun right after its hidden count goes into the count's blank (no "[NUMBER] [ENTITY]", two blanks
    # glued); after "such" it is a word of its own
    assert "only [NUMBER] between" in r.text and "such [ENTITY]." in r.text


def test_exponents_indices_values_and_denominators_count_no_noun():
    # round 47 review: `x^{[N]}` term, `r_{[N]}` root, the `n=[N]` case and `\frac{1}{[N]}` value are no
    # counts of one; a step's result ("4-3 = [N] more pear") still is
    for masked in (
        "so the $x^{[NUMBER]}$ term has a coefficient of 2.",
        "so the $r_{[NUMBER]}$ root is positive.",
        "We check the $n=[NUMBER]$ case, which fails.",
        "so the $\\frac{1}{[NUMBER]}$ value is small.",
    ):
        assert _nouns("Find it.", masked) == [], masked
