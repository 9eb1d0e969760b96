"""Quotation-mark pairing is local: a stray mark is reported where it is and changes no other pair."""

from whosaidwhat.importers.gum import convert_record
from whosaidwhat.importers.gum_overrides import empty_data
from whosaidwhat.importers.gum_quotes import find_quoted

from .gumrec import A, M, record


def paragraphs(text):
    out, offset = [], 0
    for chunk in text.split("\n\n"):
        out.append((offset, offset + len(chunk)))
        offset += len(chunk) + 2
    return out


def pairs(text, kinds=None):
    pairing = find_quoted(text, paragraphs(text), kinds)
    return [[text[s:e] for s, e in q.pieces] for q in pairing.quoted], [(u.offset, u.mark) for u in pairing.unmatched]


def convert(rec):
    return convert_record(rec, empty_data())


def quote_texts(doc):
    return [[f["text"] for f in q["fragments"]] for q in doc["quotes"]]


BODY = ('"We will rebuild the bridge," Zoe Unal said.\n\n'
        '"It will take two years," she added.\n\n'
        'Officials said "the money is there."')
BODY_MENTIONS = [M("Zoe Unal", "person", "e1"), M("she", "person", "e1", xpos="PRP"),
                 M("Officials", "person", "e2", xpos="NNS")]
BODY_ATTRIBUTIONS = [A('"We will rebuild the bridge,"', "Zoe Unal said.", source="Zoe Unal", cue="said"),
                     A('"It will take two years,"', "she added.", source="she", cue="added"),
                     A('"the money is there."', "Officials said", source="Officials", cue="said")]


def test_a_stray_mark_early_in_a_document_is_reported_and_changes_no_later_quote():
    clean = convert(record("Title\n\nThe council met on Monday.\n\n" + BODY, BODY_MENTIONS, BODY_ATTRIBUTIONS))[0]
    text = 'Title\n\nThe council met on "Monday.\n\n' + BODY
    doc, report = convert(record(text, BODY_MENTIONS, BODY_ATTRIBUTIONS))
    assert quote_texts(doc) == quote_texts(clean) == [
        ["We will rebuild the bridge,"], ["It will take two years,"], ["the money is there."]]
    assert [q["type"] for q in doc["quotes"]] == ["direct", "direct", "direct"]
    stray = text.index('"Monday')
    [problem] = report.problems
    assert (problem.rule, problem.path) == ("GUM-QUOTE-MARK-UNMATCHED", f"text[{stray}]")
    assert f"offset {stray}" in problem.message
    assert any(f"offset {stray}" in change for change in doc["provenance"]["layers"]["quotes"]["changes"])


def test_a_stray_opening_mark_inside_a_paragraph_does_not_swallow_the_next_quotation():
    text = 'Title\n\nThe "new plan was tabled. Then Key said "we will vote," and left.'
    assert pairs(text) == ([["we will vote,"]], [(text.index('"new'), '"')])


def test_a_stray_closing_mark_pairs_with_nothing():
    text = 'Title\n\nIt has a 5" screen. "We like it," she said.'
    assert pairs(text) == ([["We like it,"]], [(text.index('" screen'), '"')])


def test_an_opening_mark_typed_on_the_wrong_side_of_a_space_still_opens():
    text = "Title\n\nWilkins said,\" [Warhol] liked the flash\". She went on."
    assert pairs(text) == ([[" [Warhol] liked the flash"]], [])


def test_single_quotes_nested_in_double_quotes_are_both_found():
    text = "Title\n\n\"He told me 'never again,' and left,\" she said."
    assert sorted(pairs(text)[0]) == [["He told me 'never again,' and left,"], ["never again,"]]


def test_curly_marks_pair_and_nest():
    text = "Title\n\nShe said, “We call it “the Bridge” here,” and smiled. ‘Yes’, he said."
    found, unmatched = pairs(text)
    assert ["We call it “the Bridge” here,"] in found and ["Yes"] in found and unmatched == []


def test_a_curly_opening_mark_that_ends_a_word_closes_the_quotation():
    text = "Title\n\n“It was a misguided decision.“ However, the centre will get seats."
    assert pairs(text) == ([["It was a misguided decision."]], [])


def test_apostrophes_are_not_quotation_marks():
    text = "Title\n\nThe team's coach said it wasn't over, and the '90s were better."
    assert pairs(text) == ([], [])


def test_a_quotation_over_paragraphs_continues_where_the_next_paragraph_reopens_it():
    text = 'Title\n\nGomez said, "We learned a lot.\n\n"It was an emotional day."'
    assert pairs(text) == ([["We learned a lot.", "It was an emotional day."]], [])


def test_a_caption_between_the_paragraphs_of_a_quotation_is_skipped():
    text = 'Title\n\nGregoire said, "The museum tried hard.\n\nThe shuttle. Image: NASA.\n\n"However, a trainer will come."'
    kinds = ["head", "p", "figure>caption", "p>quote"]
    assert pairs(text, kinds) == ([["The museum tried hard.", "However, a trainer will come."]], [])


def test_a_block_quotation_that_closes_an_open_quotation_continues_it():
    text = 'Title\n\nGomez said, "We learned a lot.\n\nIt was an emotional day."'
    assert pairs(text, ["head", "p", "quote"]) == ([["We learned a lot.", "It was an emotional day."]], [])


def test_a_paragraph_that_reopens_does_not_continue_a_mark_left_open_by_mistake():
    # the first paragraph's quotation has no sentence end: not the convention of a quotation over paragraphs
    text = 'Title\n\nThe "plan of the council\n\n"We will vote," she said.'
    assert pairs(text) == ([["We will vote,"]], [(text.index('"plan'), '"')])


def test_a_paragraph_without_a_reopening_mark_does_not_continue_an_open_quotation():
    # before: the open mark paired with the first mark of the next paragraph, 40 characters away
    text = 'Title\n\nHe said "we will win.\n\nThe crowd cheered. Later Kane said "we won."'
    assert pairs(text) == ([["we won."]], [(text.index('"we will'), '"')])


def test_a_pull_quote_in_a_caption_is_not_joined_to_the_quote_before_it():
    text = ('Title\n\n"We will win," Kane said.\n\n'
            '"It is a long game." - Matthew Ingram')
    rec = record(text, [M("Kane", "person", "e1")], [A('"We will win,"', "Kane said.", source="Kane", cue="said")],
                 quotations=[('"It is a long game."', "quote")], paragraph_types={2: "figure>caption"})
    doc = convert(rec)[0]
    assert quote_texts(doc)[0] == ["We will win,"]
    assert ["It is a long game."] in quote_texts(doc)  # its own quote (GUM gave it no attribution: speaker unknown)


def test_a_quotation_is_not_carried_into_another_speakers_turn():
    text = 'Title\n\nAnd then I said "this is the end.\n\n"Really?"'
    turns = [("#NickBos", 'And then I said "this is the end.'), ("#Wikinews", '"Really?"')]
    rec = record(text, [M("Title", "person", "e1")], turns=turns)
    from whosaidwhat.importers.gum_quotes import QuoteBuilder
    from whosaidwhat.importers.gum_record import GumRecord

    builder = QuoteBuilder(GumRecord.parse(rec, "t"), set())
    assert [(q.start, q.end) for q in builder.quoted] == [(text.index('"Really'), len(text))]
    assert [u.offset for u in builder.unmatched] == [text.index('"this')]
