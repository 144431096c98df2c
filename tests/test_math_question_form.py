"""Round 42's blind reading (issue 11, session 28): two routes the readers took that neither the attacks nor
the checker took. Each trace is built here.

- The question's own form written with the answer in its letter's place ("For what value of $x$ is
  $2^3\\cdot3^x=72$?" beside the trace's ``72=2^3\\cdot 3^2``: MATH-500 prealgebra/192): the ``matched``
  attack and the checker's twin lay the question's sides over the trace's too.
- Money carried from the step that computed it ("= $1 discount", then "$10 - $1": GSM8K 4369): a computed 1
  written as money right after is the result again, hidden like it.
"""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = "For what value of $x$ is $3^2\\cdot5^x=225$?"
TRACE = "Since the prime factorization of 225 is $225=3^2\\cdot 5^2$, we have $x=\\boxed{2}$."


def test_the_question_s_form_written_with_a_value_gives_its_letter():
    masked = (
        "The prime factorization of [NUMBER] is $[NUMBER]=[NUMBER]^2\\cdot 5^2$, so $x=\\boxed{[NUMBER]}$."
    )
    found = attacks(QUESTION, masked, "2")
    assert [f.attack for f in found] == ["matched"]
    assert masked[found[0].start : found[0].end] == "[NUMBER]^2\\cdot 5^2"
    assert not attacks(QUESTION, masked, "3")  # the letter's value is 2: no other gold is reached


def test_the_masker_hides_the_instance_and_keeps_the_plan():
    r = mask_text("math", TRACE, question=QUESTION, answer="2")
    assert r.leak is None and r.level == "critical"
    assert "5^2" not in r.text and "prime factorization" in r.text
    assert not attacks(QUESTION, r.text, "2", TRACE)


def test_the_checker_lays_the_question_s_form_over_the_trace_too():
    leaks = checker_leaks(
        "form", QUESTION, "Since $⟦225|NUMBER⟧=3^2\\cdot 5^2$, $x=\\boxed{⟦2|ANSWER⟧}$.", "2"
    )
    assert "constraints" in leaks and "written with numbers" in leaks["constraints"][0]["detail"]
    assert (
        checker_leaks(
            "form_hidden", QUESTION, "Since $225=⟦3^2\\cdot 5^2|EXPR⟧$, $x=\\boxed{⟦2|ANSWER⟧}$.", "2"
        )
        == {}
    )


MONEY_Q = (
    "Rose bought a lamp with a 5% discount. If the price is $20, how much did Rose pay after the discount?"
)
MONEY = (
    "The lamp has $20 x 5/100 = $1 discount.\nSo, Rose paid $20 - $1 = $<<20-1=19>>19 for the lamp.\n#### 19"
)


def test_money_carried_from_the_step_before_is_hidden_like_its_result():
    r = mask_text("math", MONEY, question=MONEY_Q, answer="19")
    second = r.text.splitlines()[1]
    assert "$1 " not in second and "- $[NUMBER]" in second
    added = "He ate 3 - 2 = <<3-2=1>>1 apple.\nThen he had 5 + 1 = <<5+1=6>>6 apples.\n#### 6"
    r = mask_text("math", added, question="He had 3 apples and ate 2. He had 5 pears. How many?", answer="6")
    assert "+ 1 =" in r.text  # a 1 added, not money: any step may write it
