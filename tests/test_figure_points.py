"""A figure whose code draws the answer's point (issue 11, round 20's MATH-500 398): the gold is a vector
or a tuple and the trace's [asy] code writes a point with exactly its components (``S = (2/7,-9/7);``).
The masker's ``figure`` attack finds it and the repair hides the figure whole; the independent checker
finds it with its own code; a point the question's own figure writes is the question's. Built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

from .test_recover_check import as_record, rc, row

QUESTION = (
    r"A reflection takes $\begin{pmatrix} 4 \\ 0 \end{pmatrix}$ to $\begin{pmatrix} 0 \\ 4 \end{pmatrix}.$ "
    r"Where does it take $\begin{pmatrix} -9 \\ 2 \end{pmatrix}$?"
)
FIGURE = (
    "[asy]\nunitsize(1 cm);\npair A, S;\nA = (-9/7,2/7);\nS = (2/7,-9/7);\ndraw((0,0)--S,Arrow(6));\n[/asy]"
)
TRACE = (
    r"The line of reflection is $y = x$, so the image swaps the coordinates."
    "\n\n" + FIGURE + "\n\n"
    r"The image is $\boxed{\begin{pmatrix} 2/7 \\ -9/7 \end{pmatrix}}.$"
)
GOLD = r"\begin{pmatrix} 2/7 \\ -9/7 \end{pmatrix}"


def test_the_attack_finds_the_answers_point_in_figure_code():
    masked = TRACE.replace(r"\boxed{\begin{pmatrix} 2/7 \\ -9/7 \end{pmatrix}}", r"\boxed{[EXPR]}")
    found = [f for f in attacks(QUESTION, masked, GOLD) if f.attack == "figure"]
    assert found and "(2/7,-9/7)" in found[0].detail
    assert not [
        f
        for f in attacks(QUESTION, masked, r"\begin{pmatrix} 2/7 \\ 9/7 \end{pmatrix}")
        if f.attack == "figure"
    ]
    # the question's own figure drawing the point: the question's
    asked = QUESTION + "\n" + FIGURE
    assert not [f for f in attacks(asked, masked, GOLD) if f.attack == "figure"]


def test_the_masker_hides_that_figure_whole():
    r = mask_text("math", TRACE, question=QUESTION, answer=GOLD)
    assert r.leak is None
    assert "[FIGURE]" in r.text and "(2/7,-9/7)" not in r.text
    assert "swaps the coordinates" in r.text


def test_the_checker_finds_it_too():
    rc._init_worker(8.0)
    template = TRACE.replace(r"\boxed{\begin{pmatrix} 2/7 \\ -9/7 \end{pmatrix}}", r"\boxed{⟦2/7|EXPR⟧}")
    got = rc.check_row(as_record(row("point", QUESTION, template, GOLD)))
    assert "figure" in got["leaks"], got
    cut = template.replace(FIGURE, "⟦" + FIGURE + "|FIGURE⟧")
    assert "figure" not in rc.check_row(as_record(row("point", QUESTION, cut, GOLD)))["leaks"]


def test_coordinates_no_reader_takes_for_numbers_are_skipped():
    for odd in ("1.5/2", "3./2", "1" * 400):
        trace = TRACE.replace("S = (2/7,-9/7);", f"T = ({odd},1);\nS = (2/7,-9/7);")
        r = mask_text("math", trace, question=QUESTION, answer=GOLD)
        assert r.leak is None and "[FIGURE]" in r.text
        rc._init_worker(8.0)
        template = trace.replace(r"\boxed{\begin{pmatrix} 2/7 \\ -9/7 \end{pmatrix}}", r"\boxed{⟦2/7|EXPR⟧}")
        got = rc.check_row(as_record(row("odd", QUESTION, template, GOLD)))
        assert "figure" in got["leaks"] and "figure" not in got["unchecked"], got
