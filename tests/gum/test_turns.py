"""Speaker turns (GUM `<sp who=...>`, interviews): guidelines 3.1 and 7A A12 applied by the importer.

The 24 news records have no speaker turns; these GUM-format records are built like GUM's Wikinews
interviews (e.g. GUM_interview_ants: `<sp who="#Wikinews">` questions, `<sp who="#NickBos">` answers).
"""

import pytest

from whosaidwhat.core.problems import ProblemError
from whosaidwhat.importers.gum import convert_record
from whosaidwhat.importers.gum_overrides import empty_data
from whosaidwhat.validation import ERROR, validate_document

from .gumrec import A, M, record

QUESTION_1 = "What first attracted you to researching ants?"
ANSWER_1 = ("Nick Bos: Me and a studymate were keeping a lot of animals. My professor remarked that ants are clever."
            "\n\nI was like \"wow\", and I have been working on social insects ever since.")
QUESTION_2 = "How reliable are your results?"
ANSWER_2 = "The results we got are very reliable."
TEXT = ("Biologist Nick Bos tells the magazine about ants\n\nTuesday, September 1, 2015\n\n"
        "Nick Bos, of the University of Helsinki, studies ants.\n\n"
        + f"{QUESTION_1}\n\n{ANSWER_1}\n\n{QUESTION_2}\n\n{ANSWER_2}")
TURNS = [("#Wikinews", QUESTION_1), ("#NickBos", ANSWER_1), ("#Wikinews", QUESTION_2), ("#NickBos", ANSWER_2)]
MENTIONS = [M("Nick Bos", "person", "e1", head="Nick"), M("Nick Bos", "person", "e1", head="Nick", nth=1),
            M("My professor", "person", "e2", head="professor", xpos="NN"), M("I", "person", "e1", xpos="PRP", nth=0)]
INSIDE = [A("that ants are clever.", "My professor remarked", source="My professor", cue="remarked"),
          A('"wow"', "I was like", source="I", cue="like")]


def interview(text=TEXT, mentions=MENTIONS, attributions=INSIDE, turns=TURNS, **extra):
    return convert_record(record(text, mentions, attributions, turns=turns, doc_id="GUM_interview_ants", **extra),
                          empty_data())


def test_each_answer_turn_is_a_direct_quote_by_its_speaker_with_one_fragment_per_paragraph():
    doc, report = interview()
    assert [p.line() for p in validate_document(doc, "t") if p.level == ERROR] == []
    answers = [q for q in doc["quotes"]]
    assert [[f["text"] for f in q["fragments"]] for q in answers] == [
        ["Me and a studymate were keeping a lot of animals. My professor remarked that ants are clever.",
         "I was like \"wow\", and I have been working on social insects ever since."],
        ["The results we got are very reliable."]]
    assert all(q["cue"] is None and q["type"] == "direct" for q in answers)
    assert all(q["speaker"] == {"kind": "entity", "entity": "e1"} for q in answers)
    assert report.counts["turns:quote"] == 2


def test_the_turn_label_is_not_content():
    doc, _ = interview()
    assert not doc["quotes"][0]["fragments"][0]["text"].startswith("Nick Bos")


def test_questions_of_an_interviewer_the_text_does_not_name_are_not_quotes_and_a_note_says_so():
    doc, report = interview()
    assert not any(QUESTION_1 in f["text"] for q in doc["quotes"] for f in q["fragments"])
    assert report.counts["turns:drop:speaker-not-named"] == 2
    [note] = [p for p in report.problems if p.rule == "GUM-TURN-SPEAKER-UNNAMED"]
    assert "#Wikinews" in note.message and note.level == "note"


def test_questions_are_quotes_of_the_interviewer_when_the_text_names_it():
    text = TEXT.replace("the magazine", "Wikinews")
    mentions = MENTIONS + [M("Wikinews", "organization", "e3")]
    doc, report = interview(text, mentions)
    questions = [q for q in doc["quotes"] if q["fragments"][0]["text"] in (QUESTION_1, QUESTION_2)]
    assert [q["speaker"] for q in questions] == [{"kind": "entity", "entity": "e3"}] * 2
    assert report.counts["turns:quote"] == 4


def test_speech_inside_an_answer_turn_is_part_of_the_answer_not_a_quote_of_its_own():
    # `remarked` (a speech verb) and quotative `like` (no speech verb) inside a turn: both are in the turn's quote
    doc, report = interview()
    assert report.counts["attributions:drop:inside-speaker-turn"] == 2
    assert len(doc["quotes"]) == 2
    assert not [p for p in report.problems if p.rule == "GUM-CUE-UNKNOWN"]


def test_turns_are_read_from_the_speaker_of_each_sentence_when_speaker_turns_is_empty():
    rec = record(TEXT, MENTIONS, INSIDE, doc_id="GUM_interview_ants")
    rec["sentences"] = []
    for who, turn in TURNS:
        start = TEXT.index(turn)
        for _k, part in enumerate(turn.split("\n\n")):
            s = TEXT.index(part, start)
            rec["sentences"].append({"id": f"s{len(rec['sentences'])}", "start": s, "end": s + len(part),
                                     "s_type": "decl", "speaker": who})
    doc = convert_record(rec, empty_data())[0]
    assert [len(q["fragments"]) for q in doc["quotes"]] == [2, 1]


def test_a_turn_speaker_is_found_by_name_without_an_honorific():
    text = TEXT.replace("Nick Bos, of", "Professor Nick Bos, of")
    doc, _ = interview(text, turns=[("#ProfBos", ANSWER_2)])
    assert doc["quotes"][-1]["speaker"] == {"kind": "entity", "entity": "e1"}


def test_malformed_speaker_turns_are_all_reported():
    rec = record(TEXT, MENTIONS, doc_id="GUM_interview_ants")
    rec["speaker_turns"] = [{"who": "", "start": 0, "end": 5}, {"who": "#NickBos", "start": 5, "end": 10 ** 6}]
    with pytest.raises(ProblemError) as caught:
        convert_record(rec, empty_data(), where="GUM_interview_ants.json")
    assert [p.path for p in caught.value.problems] == ["speaker_turns[0].who", "speaker_turns[1]"]


def test_news_records_have_no_turns_and_gain_no_turn_rule():
    doc, report = convert_record(record("Title\n\nJohn Key spoke.", [M("John Key", "person", "e1")]), empty_data())
    assert not any(k.startswith("turns:") for k in report.counts)
    assert not any("speaker turns" in c for c in doc["provenance"]["layers"]["quotes"]["changes"])
