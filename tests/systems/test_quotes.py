"""Quotes as guidelines 3.1-3.6 define them: fragments, cue, speaker and type, from the rules pipeline."""

from whosaidwhat.systems.gazetteer import Gazetteer, build_gazetteer
from whosaidwhat.systems.names import find_names
from whosaidwhat.systems.pipeline import analyse

from .helpers import document

COMMON = build_gazetteer([document("officials later the shares analysts")])


def quotes(text: str, gazetteer: Gazetteer = COMMON) -> list[dict]:
    """Each quote as {fragments, cue, speaker, type} with surface strings; the speaker's entity shown as its name."""
    analysis = analyse(text, find_names(text, gazetteer))
    out = []
    for q in analysis.quotes:
        speaker = None
        if q.speaker is not None:
            m = analysis.mentions.items[q.speaker]
            speaker = text[m.start:m.end]
        out.append({"fragments": [text[s:e] for s, e in q.fragments], "cue": text[q.cue[0]:q.cue[1]] if q.cue else None,
                    "speaker": speaker, "type": q.type})
    return out


def speaker_entity(text: str, index: int = 0) -> str:
    """The name the speaker of quote `index` resolves to (through pronoun resolution)."""
    analysis = analyse(text, find_names(text, COMMON))
    m = analysis.mentions.items[analysis.quotes[index].speaker]
    names = [n for n in analysis.mentions.names() if n.cluster == m.cluster]
    return text[names[0].start:names[0].end]


# -- direct quotes ------------------------------------------------------------------------------------

def test_a_direct_quote_with_its_speaker_after_the_closing_mark():
    assert quotes('"We cannot agree with these theses," Peskov said.') == [
        {"fragments": ["We cannot agree with these theses,"], "cue": "said", "speaker": "Peskov", "type": "direct"}]


def test_an_inverted_attribution_names_the_person_after_the_cue():
    text = '"The review found errors in the process," said Michael R. Golden, the GAO\'s counsel.'
    assert quotes(text)[0]["speaker"] == "Michael R. Golden"


def test_an_attribution_before_the_opening_mark():
    assert quotes('Governor Chris Gregoire said: "The museum put in a tremendous effort."') == [
        {"fragments": ["The museum put in a tremendous effort."], "cue": "said", "speaker": "Chris Gregoire",
         "type": "direct"}]


def test_curly_and_single_marks_are_quotes_too():
    assert quotes("“We will stay in the region,” he said.")[0]["fragments"] == ["We will stay in the region,"]
    assert quotes("'The plant will close in May,' Ford said.")[0]["speaker"] == "Ford"


def test_an_interrupted_quote_is_one_quote_with_two_fragments():
    text = '"We will," Mayor Zoe Unal said on Monday, "rebuild the bridge by 2027."'
    assert quotes(text) == [{"fragments": ["We will,", "rebuild the bridge by 2027."], "cue": "said",
                             "speaker": "Zoe Unal", "type": "direct"}]


def test_a_quotation_continuing_right_after_the_attribution_is_a_further_fragment():
    text = '"It is over at all," said Ambassador Mohib. "They represent our aspirations."'
    assert quotes(text)[0]["fragments"] == ["It is over at all,", "They represent our aspirations."]


def test_a_next_paragraph_that_is_only_a_quotation_continues_the_quote():
    text = '“We cannot agree with these theses,” Peskov said.\n\n“Russia is an integral part of this region.”'
    assert quotes(text)[0]["fragments"] == ["We cannot agree with these theses,", "Russia is an integral part of this region."]


def test_a_new_cue_starts_a_new_quote():
    text = '"The first point stands," he said. "The second point too," he continued. "And the third."'
    assert [q["fragments"] for q in quotes(text)] == [["The first point stands,"],
                                                      ["The second point too,", "And the third."]]
    assert [q["cue"] for q in quotes(text)] == ["said", "continued"]


def test_a_quotation_over_paragraphs_is_one_quote_with_a_fragment_per_paragraph():
    text = 'Peskov said: "Russia is not leaving the region.\n\n"It will keep its bases there."'
    assert quotes(text)[0]["fragments"] == ["Russia is not leaving the region.", "It will keep its bases there."]


def test_a_continuation_after_narrative_text_is_a_separate_quote_by_the_same_speaker():
    text = ('"The air is cleaner than it was," Heald said. The study covered ten cities.\n\n'
            '"An air-quality cleanup would improve crop yields."')
    found = quotes(text)
    assert [q["fragments"] for q in found] == [["The air is cleaner than it was,"],
                                               ["An air-quality cleanup would improve crop yields."]]
    assert found[1]["speaker"] == "Heald" and found[1]["cue"] is None


def test_scare_quotes_and_titles_are_not_quotes():
    assert quotes('The robot was named "Robogee" by its team.') == []


def test_a_source_list_entry_is_not_a_quote():
    assert quotes('"Document found on street not secret, say feds" — The Canadian Press, August 15, 2008') == []


def test_a_pronoun_speaker_is_the_pronoun_mention_linked_to_the_last_compatible_name():
    text = 'Dmitry Peskov met Acme Corp on Monday. "We will stay in the region," he said.'
    assert quotes(text)[0]["speaker"] == "he"
    assert speaker_entity(text) == "Dmitry Peskov"  # `he` skips the company: it needs a person


def test_it_as_a_speaker_resolves_to_an_organisation():
    text = 'Dmitry Peskov met the Korean Central News Agency. "Provocation deserves punishment," it added.'
    assert speaker_entity(text) == "Korean Central News Agency"


# -- indirect and mixed quotes ------------------------------------------------------------------------

def test_an_indirect_quote_with_that():
    text = "Jeff Rathke said that the talks failed on Monday."
    assert quotes(text) == [{"fragments": ["the talks failed on Monday"], "cue": "said", "speaker": "Jeff Rathke",
                             "type": "indirect"}]


def test_an_indirect_quote_without_that_and_with_the_speakers_title():
    text = "Kremlin spokesman Dmitry Peskov said Russia planned to continue its role."
    assert quotes(text)[0]["fragments"] == ["Russia planned to continue its role"]
    assert quotes(text)[0]["speaker"] == "Dmitry Peskov"


def test_told_needs_that_after_its_object():
    text = "Dmitry Peskov told reporters on Tuesday that Russia had no plans to leave."
    assert quotes(text)[0]["fragments"] == ["Russia had no plans to leave"]
    assert quotes(text)[0]["cue"] == "told"


def test_a_time_adjunct_after_the_cue_is_not_content():
    assert quotes("Peskov said on Tuesday it was important to keep the deal.")[0]["fragments"] == [
        "it was important to keep the deal"]


def test_the_content_may_come_first():
    text = "The talks failed after two days, Peskov said on Tuesday."
    assert quotes(text)[0]["fragments"] == ["The talks failed after two days"]
    assert quotes("The talks failed after two days, said the minister.")[0]["speaker"] == "the minister"


def test_according_to_before_and_after_the_clause():
    assert quotes("According to the Associated Press, claims rose by 15,000 last week.")[0] == {
        "fragments": ["claims rose by 15,000 last week"], "cue": "According to", "speaker": "Associated Press",
        "type": "indirect"}
    assert quotes("Claims rose by 15,000 last week, according to Reuters.")[0]["fragments"] == [
        "Claims rose by 15,000 last week"]


def test_a_request_is_the_to_infinitive():
    assert quotes("The union urged Congress to act quickly on the bill.")[0]["fragments"] == [
        "to act quickly on the bill"]


def test_a_description_speaks_as_a_nominal_mention():
    assert quotes("Officials said the plant would close in May.")[0]["speaker"] == "Officials"
    assert quotes("A spokesman for Ford said the plant would close.")[0]["speaker"] == "A spokesman for Ford"


def test_verbatim_words_inside_reported_speech_make_it_mixed():
    text = 'Bauchtman said it was "the sleeper health issue in Australia" and serious.'
    assert quotes(text)[0]["type"] == "mixed"
    assert quotes(text)[0]["fragments"] == ['it was "the sleeper health issue in Australia" and serious']


def test_negated_speech_agentless_passives_and_noun_phrase_objects_are_not_quotes():
    assert quotes("U.S. officials have not said why the team was denied visas.") == []
    assert quotes("It was reported that the plant would close.") == []
    assert quotes("Ford reported a net loss of $2.7 billion for the quarter.") == []
    assert quotes("The report was published on Monday.") == []


def test_a_noun_phrase_verb_with_a_clause_is_a_quote():
    assert quotes("Ford announced it would close two plants.")[0]["fragments"] == ["it would close two plants"]


def test_speech_inside_a_direct_quote_is_part_of_it():
    text = '"Moxon told Daniel that the drives were never returned," Rathbun wrote.'
    assert len(quotes(text)) == 1 and quotes(text)[0]["speaker"] == "Rathbun"
