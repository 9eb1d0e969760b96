"""Quotation marks, as guidelines 3.3 reads them: content between the marks, marks and inner spaces outside."""

from whosaidwhat.systems.quotation_marks import quotations

from .helpers import surfaces


def contents(text: str) -> list[list[str]]:
    return [surfaces(text, q.fragments) for q in quotations(text)]


def test_straight_double_marks_enclose_the_content_with_its_inner_punctuation():
    assert contents('"We take security seriously," she said.') == [["We take security seriously,"]]


def test_curly_double_marks():
    assert contents("“We cannot agree with these theses,” Peskov said.") == [["We cannot agree with these theses,"]]


def test_single_marks_open_and_close_but_apostrophes_do_not():
    text = "Reports: 'streamlined' asylum process doesn't work, the players’ union said."
    assert contents(text) == [["streamlined"]]


def test_curly_single_marks_and_an_apostrophe_inside():
    assert contents("He called it ‘the Kremlin’s line’ on Monday.") == [["the Kremlin’s line"]]


def test_a_year_apostrophe_is_not_a_mark():
    assert contents("Cars of the '90s were 'cheap' then.") == [["cheap"]]


def test_nested_quotations_stay_inside_the_outer_one():
    assert contents('"He said \'no\' twice," she added.') == [["He said 'no' twice,"]]
    assert contents('"A "nested" quotation here," she said.') == [['A "nested" quotation here,']]


def test_whitespace_just_inside_the_marks_is_not_content():
    assert contents('“ It is over. ” he said') == [["It is over."]]


def test_an_interrupted_quotation_is_two_runs():
    text = '"We will," Mayor Zoë Ünal said on Monday, "rebuild the bridge by 2027."'
    assert contents(text) == [["We will,"], ["rebuild the bridge by 2027."]]


def test_a_quotation_over_paragraphs_that_reopen_the_mark_is_one_run_with_a_fragment_per_paragraph():
    text = '“First paragraph of the speech.\n\n“Second paragraph,” she said.'
    assert contents(text) == [["First paragraph of the speech.", "Second paragraph,"]]


def test_an_unclosed_quotation_ends_with_its_paragraph_when_the_next_does_not_reopen():
    text = '"Never closed here\n\nA plain paragraph.'
    assert contents(text) == [["Never closed here"]]


def test_guillemets():
    assert contents("Il a dit «non merci» hier.") == [["non merci"]]
