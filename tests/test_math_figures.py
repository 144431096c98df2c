"""Figures and tables of a trace that give the answer away (the ``figure`` attack, and figure code drawn with
two hidden dimensions: ``restated``), and the masker's answer: label text hidden where a label gives it, the
figure whole where its code does, never a placeholder in figure code."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._answer import parse_gold
from smepo_data.math._figures import figures
from smepo_data.math._restated import restated
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

GRID_Q = (
    "In the grid below, the sum of the numbers in each row and in each column is the same. What is $x$?\n\n"
    '[asy]size(80);\ndraw((0,0)--(2,0)--(2,2)--(0,2)--cycle);\nlabel("$x+4$",(.5,1.5));\n'
    'label("$2$",(1.5,1.5));\nlabel("$3x-4$",(.5,.5));\nlabel("$x$",(1.5,.5));\n[/asy]'
)
GRID = (
    "The first row gives $(x+4)+2$, the second $(3x-4)+x$. So $x+6=4x-4$, and $x=\\boxed{\\frac{10}{3}}$.\n\n"
    "No: the columns must match too, so we check the grid filled in:\n"
    '[asy]size(80);\ndraw((0,0)--(2,0)--(2,2)--(0,2)--cycle);\nlabel("9",(.5,1.5));\nlabel("2",(1.5,1.5));\n'
    'label("11",(.5,.5));\nlabel("[NUMBER]",(1.5,.5));\n[/asy]'
)


def test_a_solved_figure_label_where_the_question_writes_an_expression():
    # "9" stands where the question's figure writes x+4, "11" where it writes 3x-4: both give x = 5
    found = figures(GRID_Q, GRID, parse_gold("5"))
    assert [GRID[f.start : f.end] for f in found] == ["9", "11"]
    assert all(f.attack == "figure" and "x = 5" in f.detail for f in found)
    assert not figures(GRID_Q, GRID, parse_gold("6"))  # a value that is not the gold: no finding
    assert not figures(GRID_Q.split("[asy]")[0], GRID, parse_gold("5"))  # no question figure to read


MAGIC_Q = (
    "In the magic square below, every row, column and diagonal has the same sum. What is $n$?\n\n"
    "[asy]size(90);\nfor(int i = 0; i<4; ++i) { draw((0,i)--(3,i)); draw((i,0)--(i,3)); }\n"
    'label("$n+3$",(.5,2.5));\nlabel("$1$",(1.5,2.5));\nlabel("$n+1$",(2.5,2.5));\n'
    'label("$3$",(.5,1.5));\nlabel("$n$",(1.5,1.5));\nlabel("$2n-3$",(2.5,1.5));\n'
    'label("$n-1$",(.5,.5));\nlabel("$2n-1$",(1.5,.5));\nlabel("$2$",(2.5,.5));\n[/asy]'
)
MAGIC = (
    "The top row sums to $(n+3)+1+(n+1)=2n+5$ and the middle row to $3+n+(2n-3)=3n$. The sums are equal, "
    "so $2n+5=3n$ and $n=\\boxed{5}$.\n\n"
    'The square is:\n[asy]size(90);\nlabel("8",(.5,2.5));\nlabel("1",(1.5,2.5));\nlabel("6",(2.5,2.5));\n'
    'label("3",(.5,1.5));\nlabel("5",(1.5,1.5));\nlabel("7",(2.5,1.5));\nlabel("4",(.5,.5));\n'
    'label("9",(1.5,.5));\nlabel("2",(2.5,.5));\n[/asy]'
)


def test_the_masker_hides_the_solved_labels_and_keeps_the_figure_code():
    r = mask_text("math", MAGIC, question=MAGIC_Q, answer="5")
    assert r.leak is None and r.level == "critical"
    assert "figure" in r.repairs
    figure = r.text[r.text.index("[asy]") :]
    for label in ("8", "6", "7", "4", "9", "5"):  # each fixes n through the question's label at its place
        assert f'label("{label}"' not in figure
    # the label the question writes as a number stays, and so does every line of figure code
    assert 'label("1",(1.5,2.5))' in figure
    assert figure.count("label(") == 9 and figure.endswith("[/asy]")
    assert figure.replace('"[NUMBER]"', '""').count("[") == 2  # [asy], [/asy]: no placeholder in code
    assert not [f for f in attacks(MAGIC_Q, r.text, "5", MAGIC) if f.attack == "figure"]


WALK_Q = "Ann walks 3 miles east and then 4 miles north. How far is she from where she started, in miles?"
WALK = (
    "Call the start $A$ and the end $B$. The legs are 3 and 4, so $AB=\\sqrt{3^2+4^2}=\\boxed{5}$.\n"
    '[asy]\npair A=(0,0), B=(3,4);\ndraw(A--(3,0)--B--cycle);\nlabel("$A$", A, SW);\nlabel("$B$", B, NE);\n'
    "[/asy]"
)


def test_a_named_segment_measured_on_the_figure_coordinates():
    masked = WALK.replace("=\\boxed{5}", "=\\boxed{[NUMBER]}").replace("3^2+4^2", "[NUMBER]")
    found = figures(WALK_Q, masked, parse_gold("5"))
    assert len(found) == 1 and "segment AB" in found[0].detail
    assert masked[found[0].start : found[0].end].startswith("A=(0,0)")
    # the question's own figure drawing the same points: the question gives it, not the trace
    asked = WALK_Q + "\n" + WALK[WALK.index("[asy]") :]
    assert not figures(asked, masked, parse_gold("5"))
    r = mask_text("math", WALK, question=WALK_Q, answer="5")
    assert r.leak is None and "[asy]" not in r.text and "[FIGURE]" in r.text


ANGLE_Q = (
    "Triangle $PQR$ has a right angle at $Q$ and $PR = 2\\cdot QP$. What is the measure of $\\angle QRP$?"
)
ANGLE = (
    "Since $\\sin \\angle QRP = \\frac{QP}{PR} = \\frac12$, the angle is $\\boxed{30^\\circ}$.\n"
    '[asy]\nP=(0,1); Q=(0,0); R=(1.732,0);\ndraw(P--Q--R--cycle);\nlabel("$P$",P,N);\nlabel("$Q$",Q,SW);\n'
    'label("$R$",R,SE);\n[/asy]'
)


def test_a_named_angle_measured_on_rounded_coordinates():
    masked = ANGLE.replace("\\boxed{30^\\circ}", "\\boxed{[EXPR]}")
    found = figures(ANGLE_Q, masked, parse_gold("30^\\circ"))
    assert len(found) == 1 and "angle QRP" in found[0].detail


RATIO_Q = "In right triangle $ABC$, $\\sin A = 2\\cos A$. What is $\\tan A$?"
RATIO = (
    "So $\\frac{BC}{AB} = 2$, and $\\tan A = \\boxed{2}$.\n[asy]\npair A,B,C;\nA = (0,0);\nB = (5,0);\n"
    'C = (5,10);\ndraw(A--B--C--A);\nlabel("$A$",A,SW);\nlabel("$B$",B,SE);\nlabel("$C$",C,N);\n[/asy]'
)


def test_a_ratio_of_named_segments_measured_and_asy_code_is_no_prose():
    masked = RATIO.replace("= 2$", "= [NUMBER]$").replace("\\boxed{2}", "\\boxed{[NUMBER]}")
    found = figures(RATIO_Q, masked, parse_gold("2"))
    assert [f.detail for f in found] == ["the ratio BC/AB measured on the figure's coordinates is 2"]
    assert not figures(RATIO_Q, masked.replace("C = (5,10)", "C = (5,15)"), parse_gold("2"))
    # asy's "pair A,B,C;" declares points: no word for 2 (a label's text would be one)
    assert "equivalent_form" not in {f.attack for f in attacks(RATIO_Q, masked, "2")}
    labelled = masked.replace('label("$C$",C,N);', 'label("a pair",C,N);')
    assert "equivalent_form" in {f.attack for f in attacks(RATIO_Q, labelled, "2")}
    r = mask_text("math", RATIO, question=RATIO_Q, answer="2")
    assert r.leak is None and "[FIGURE]" in r.text
    assert any("ratio BC/AB" in s.reason for s in r.spans)


GRID_AREA_Q = (
    "A rectangle has vertices $(-3,-2)$, $(3,-2)$, $(3,2)$, $(-3,2)$. How many unit squares does it hold?"
)
GRID_AREA = (
    "The rectangle is 6 units by 4 units, so it holds $6\\cdot 4=\\boxed{24}$ unit squares.\n"
    "[asy]\nadd(grid(6,4));\ndraw((0,0)--(6,4),dashed);\n[/asy] Each unit square is counted once."
)


def test_figure_code_drawn_with_two_hidden_dimensions():
    masked = (
        GRID_AREA.replace("6 units by 4 units", "[NUMBER] units by [NUMBER] units")
        .replace("6\\cdot 4", "[NUMBER]\\cdot [NUMBER]")
        .replace("{24}", "{[NUMBER]}")
    )
    found = [f for f in restated(GRID_AREA, masked) if "figure code" in f.detail]
    assert [masked[f.start : f.end] for f in found] == ["(6,4)", "(6,4)"]
    # one hidden value alone, or a pair not in a phrase of dimensions, is no restatement of figure code
    one = GRID_AREA.replace("6 units by", "[NUMBER] units by").replace("{24}", "{[NUMBER]}")
    assert not [f for f in restated(GRID_AREA, one) if "figure code" in f.detail]
    r = mask_text("math", GRID_AREA, question=GRID_AREA_Q, answer="24")
    assert r.leak is None and "[asy]" not in r.text and "grid(" not in r.text
    assert r.text.endswith("[FIGURE] Each unit square is counted once.")


TABLE_Q = (
    "The table gives the number of points each team scored. Both teams scored the same. What is $a$?\n"
    "$$\\begin{array}{c|c} \\text{Reds} & 2a-1 \\\\ \\text{Blues} & a+3 \\end{array}$$"
)
TABLE = (
    "Setting $2a-1=a+3$ gives $a=\\boxed{4}$, and the table reads\n"
    "$$\\begin{array}{c|c} \\text{Reds} & 7 \\\\ \\text{Blues} & 7 \\end{array}$$"
)


def test_a_filled_table_cell_where_the_question_table_writes_an_expression():
    masked = TABLE.replace("\\boxed{4}", "\\boxed{[NUMBER]}")
    found = figures(TABLE_Q, masked, parse_gold("4"))
    assert [masked[f.start : f.end].strip() for f in found] == ["7", "7"]
    r = mask_text("math", TABLE, question=TABLE_Q, answer="4")
    assert r.leak is None and "& 7" not in r.text and r.text.count("&") == 2
    assert "\\begin{array}{c|c} \\text{Reds} & [NUMBER]" in r.text


AREA_Q = (
    "Two numbers, $x$ and $y$ are selected at random from the interval $(0,3)$. What is the probability "
    "that a triangle with sides of length 1, $x$, and $y$ exists?"
)
AREA_FIGURE = (
    "[asy]\ndraw((0,0)--(3,0)--(3,3)--(0,3));\ndraw((0,0)--(0,3));\n"
    "fill((1,0)--(3,2)--(3,3)--(2,3)--(0,1)--cycle,gray(.7));\ndraw((1,0)--(0,1));\n[/asy]"
)
AREA = (
    "We shade the area where all of the inequalities hold.\n\n" + AREA_FIGURE + "\n\nThe total area of the "
    "square is $[NUMBER]^2=[NUMBER]$, the shaded area is $[NUMBER]/2$, and the probability is "
    "$\\boxed{[EXPR]}$."
)


def test_a_shaded_polygon_of_the_figure_gives_an_area_or_a_probability_away():
    # round 47's MATH-500 188: the shoelace formula gives 9/2 of the drawn 3x3 square: 1/2
    for gold in ("\\frac{1}{2}", "\\frac{9}{2}"):
        found = figures(AREA_Q, AREA, parse_gold(gold))
        assert [(f.attack, AREA[f.start : f.end]) for f in found] == [("figure", AREA_FIGURE)], gold
    assert figures(AREA_Q, AREA, parse_gold("\\frac{1}{3}")) == []
    # the question's own figure shades it: reading it is the task
    assert figures(AREA_Q + "\n" + AREA_FIGURE, AREA, parse_gold("\\frac{1}{2}")) == []
    template = AREA.replace("[NUMBER]", "⟦3|NUMBER⟧").replace("[EXPR]", "⟦\\frac{1}{2}|EXPR⟧")
    assert set(checker_leaks("shaded_area", AREA_Q, template, "\\frac{1}{2}")) == {"figure"}
    assert checker_leaks("shaded_area_other", AREA_Q, template, "\\frac{1}{3}") == {}


def test_the_masker_hides_a_figure_whose_shaded_area_is_the_answer():
    trace = (
        AREA.replace("[NUMBER]^2=[NUMBER]", "3^2=9")
        .replace("[NUMBER]/2", "9/2")
        .replace("[EXPR]", "\\frac12")
    )
    r = mask_text("math", trace, question=AREA_Q, answer="\\frac{1}{2}")
    assert r.leak is None
    assert "fill(" not in r.text and "[FIGURE]" in r.text
    assert attacks(AREA_Q, r.text, "\\frac{1}{2}") == []


def test_a_fill_is_no_share_of_its_own_outline_nor_of_axes_or_a_curve():
    # round 47 review: `fill(P); draw(P);` is a share of 1 and a rest of 0 for any gold; two axes are no
    # frame; a region bounded by an arc is no polygon; the question's fill written in another order is its own
    square = "(0,0)--(4,0)--(4,4)--(0,4)--cycle"
    own = f"The region is shaded:\n[asy]\nfill({square},gray);\ndraw({square});\n[/asy]\n" + "So $[NUMBER]$."
    for gold in ("1", "0"):
        assert figures("Find it.", own, parse_gold(gold)) == [], gold
    axes = "[asy]\ndraw((0,6)--(0,0)--(6,0));\nfill((0,0)--(2,0)--(0,2)--cycle,gray);\n[/asy]\nSo $[EXPR]$."
    assert figures("Find it.", axes, parse_gold("\\frac{1}{9}")) == []
    curved = "[asy]\nfill((0,0)--(4,0)--(4,3)..(2,5)..(0,3)--cycle,gray);\n[/asy]\nSo $\\boxed{[NUMBER]}$."
    assert figures("Find it.", curved, parse_gold("6")) == []
    q = "[asy]\nfill((0,0)--(2,0)--(2,2)--cycle,gray);\ndraw((0,0)--(4,0)--(4,4)--(0,4)--cycle);\n[/asy]"
    turned = q.replace("(0,0)--(2,0)--(2,2)", "(2,0)--(2,2)--(0,0)") + " $[EXPR]$"
    assert figures("What share is shaded?\n" + q, turned, parse_gold("\\frac{1}{8}")) == []
    assert figures("What share is shaded?", turned, parse_gold("\\frac{1}{8}"))  # not the question's: read
