"""Quotes from GUM attribution relations and quotation marks."""

from whosaidwhat.importers.gum import convert_record
from whosaidwhat.importers.gum_overrides import empty_data

from .gumrec import A, M, record


def convert(rec):
    return convert_record(rec, empty_data())[0]


def quotes(doc):
    by_id = {m["id"]: m for m in doc["mentions"]}
    out = []
    for q in doc["quotes"]:
        speaker = q["speaker"]
        who = by_id[speaker["mention"]]["text"] if speaker["kind"] == "mention" else speaker["kind"]
        out.append(([f["text"] for f in q["fragments"]], q["cue"]["text"] if q["cue"] else None, who, q["type"]))
    return out


def test_a_direct_quote_excludes_its_quotation_marks_and_keeps_punctuation_inside_them():
    rec = record('Title\n\n"We will win," Jeff Rathke said.',
                 [M("Jeff Rathke", "person", "e1")],
                 [A('"We will win,"', "Jeff Rathke said.", source="Jeff Rathke", cue="said")])
    assert quotes(convert(rec)) == [(["We will win,"], "said", "Jeff Rathke", "direct")]


def test_an_indirect_quote_drops_the_complementiser_and_the_final_full_stop():
    rec = record("Title\n\nJeff Rathke said that the talks failed.",
                 [M("Jeff Rathke", "person", "e1")],
                 [A("that the talks failed.", "Jeff Rathke said", source="Jeff Rathke", cue="said")])
    assert quotes(convert(rec)) == [(["the talks failed"], "said", "Jeff Rathke", "indirect")]


def test_paraphrase_with_a_quoted_stretch_is_a_mixed_quote():
    rec = record('Title\n\nJohn Key said the change has a "strong rationale".',
                 [M("John Key", "person", "e1")],
                 [A('the change has a "strong rationale".', "John Key said", source="John Key", cue="said")])
    assert quotes(convert(rec)) == [(['the change has a "strong rationale"'], "said", "John Key", "mixed")]


def test_a_quoted_name_does_not_make_a_quote_mixed():
    rec = record('Title\n\nMehraban said the robot, named "Robogee," scored.',
                 [M("Mehraban", "person", "e1"), M("Robogee", "object", "e2")],
                 [A('the robot, named "Robogee," scored.', "Mehraban said", source="Mehraban", cue="said")])
    assert quotes(convert(rec))[0][3] == "indirect"


def test_a_quote_interrupted_by_its_attribution_is_one_quote_with_two_fragments():
    rec = record('Title\n\n"We will," Zoe Unal said, "rebuild the bridge."',
                 [M("Zoe Unal", "person", "e1")],
                 [A('"We will,"', "Zoe Unal said,", source="Zoe Unal", cue="said")],
                 quotations=[('"We will,"', "quote"), ('"rebuild the bridge."', "quote")])
    assert quotes(convert(rec)) == [(["We will,", "rebuild the bridge."], "said", "Zoe Unal", "direct")]


def test_a_photo_credit_is_not_a_quote():
    rec = record("Title\n\nThe team at the competition. Image: United States Navy.",
                 [M("United States Navy", "organization", "e1", head="Navy")],
                 [A("The team at the competition.", "Image: United States Navy.", source="United States Navy")])
    assert convert(rec)["quotes"] == []


def test_a_belief_is_not_a_quote():
    rec = record("Title\n\nA teacher thought it resembled a bomb.",
                 [M("A teacher", "person", "e1", head="teacher", xpos="NN")],
                 [A("it resembled a bomb.", "A teacher thought", source="A teacher", cue="thought")])
    assert convert(rec)["quotes"] == []


def test_a_negated_attribution_is_not_a_quote():
    rec = record("Title\n\nOfficials have not said why the visas were denied.",
                 [M("Officials", "person", "e1", xpos="NNS")],
                 [A("why the visas were denied.", "Officials have not said", source="Officials", cue="said",
                    relation="attribution-negative")])
    assert convert(rec)["quotes"] == []


def test_an_attribution_inside_a_direct_quote_is_part_of_that_quote():
    rec = record('Title\n\n"I think we learned a lot," Gomez said.',
                 [M("Gomez", "person", "e1"), M("I", "person", "e1", xpos="PRP")],
                 [A('"I think we learned a lot,"', "Gomez said.", source="Gomez", cue="said"),
                  A("we learned a lot,", "I think", source="I", cue="think")])
    assert quotes(convert(rec)) == [(["I think we learned a lot,"], "said", "Gomez", "direct")]


def test_a_relayed_quote_is_attributed_to_the_original_source_only():
    rec = record("Title\n\nAccording to the Herald, John Burrows said the flag was never chosen.",
                 [M("the Herald", "organization", "e1", head="Herald"), M("John Burrows", "person", "e2")],
                 [A("John Burrows said the flag was never chosen.", "According to the Herald,", source="the Herald",
                    cue="According to"),
                  A("the flag was never chosen.", "John Burrows said", source="John Burrows", cue="said")])
    assert quotes(convert(rec)) == [(["the flag was never chosen"], "said", "John Burrows", "indirect")]


def test_the_speaker_is_the_name_of_the_source_inside_the_attribution():
    rec = record("Title\n\nHis father Mohamed El-Hassan said he was proud.",
                 [M("His father", "person", "e1", head="father", xpos="NN"),
                  M("Mohamed El-Hassan", "person", "e1", head="Mohamed")],
                 [A("he was proud.", "His father Mohamed El-Hassan said", source="His father", cue="said")])
    assert quotes(convert(rec))[0][2] == "Mohamed El-Hassan"


def test_a_pronoun_speaker_points_to_the_pronoun_mention():
    rec = record('Title\n\nJohn Key spoke. "I will vote," he said.',
                 [M("John Key", "person", "e1"), M("he", "person", "e1", xpos="PRP")],
                 [A('"I will vote,"', "he said.", source="he", cue="said")])
    doc = convert(rec)
    speaker = doc["quotes"][0]["speaker"]
    mention = next(m for m in doc["mentions"] if m["id"] == speaker["mention"])
    assert (mention["text"], mention["kind"], mention["entity"]) == ("he", "pronoun", "e1")


def test_a_document_of_a_named_author_is_attributed_to_the_author():
    rec = record('Title\n\nCornyn\'s statement added, "Houston was right."',
                 [M("Cornyn's statement", "abstract", "e1", head="statement", xpos="NN"),
                  M("Cornyn's", "person", "e2", head="Cornyn")],
                 [A('"Houston was right."', "Cornyn's statement added,", source="Cornyn's statement", cue="added")])
    assert quotes(convert(rec))[0][2] == "Cornyn"


def test_the_cue_is_the_speech_word_of_a_discontinuous_cue_signal():
    rec = record("Title\n\nZuckerberg tweeted to him and said the boy was welcome.",
                 [M("Zuckerberg", "person", "e1")],
                 [A("the boy was welcome.", "Zuckerberg tweeted to him and said", source="Zuckerberg",
                    cue_parts=["tweeted", "said"])])
    assert quotes(convert(rec))[0][1] == "said"


def test_a_block_quotation_without_marks_is_direct():
    rec = record("Title\n\nThe Church denied this:\n\nShe was never forced to work.",
                 [M("The Church", "organization", "e1", head="Church")],
                 [A("She was never forced to work.", "The Church denied this:", source="The Church", cue="denied")],
                 paragraph_types={2: "quote"})
    assert quotes(convert(rec)) == [(["She was never forced to work."], "denied", "The Church", "direct")]


def test_items_of_a_source_list_are_not_quotes():
    rec = record('Title\n\nSources\n\n"Document found on street" — Toronto Star, August 15, 2008',
                 [M("Toronto Star", "organization", "e1", head="Toronto")],
                 [A('"Document found on street"', "— Toronto Star, August 15, 2008", source="Toronto Star")],
                 paragraph_types={2: "item>p"})
    assert convert(rec)["quotes"] == []


def test_a_quotation_over_two_paragraphs_is_one_quote_with_one_fragment_per_paragraph():
    rec = record('Title\n\nGomez said, "We learned a lot.\n\n"It was an emotional day."',
                 [M("Gomez", "person", "e1")],
                 [A('"We learned a lot.\n\n"It was an emotional day."', "Gomez said,", source="Gomez", cue="said")])
    assert quotes(convert(rec)) == [(["We learned a lot.", "It was an emotional day."], "said", "Gomez", "direct")]


def test_quoted_text_after_its_attribution_in_the_same_sentence_continues_the_quote():
    rec = record('Title\n\n"We thank them," said Bolden to the crowd. "This was difficult."',
                 [M("Bolden", "person", "e1")],
                 [A('"We thank them,"', "said Bolden to the crowd.", source="Bolden", cue="said")])
    assert quotes(convert(rec)) == [(["We thank them,", "This was difficult."], "said", "Bolden", "direct")]


def test_a_quotation_after_narrative_is_not_joined_to_the_previous_quote():
    rec = record('Title\n\n"We won," Kane said. The crowd cheered for an hour. "We won again."',
                 [M("Kane", "person", "e1")],
                 [A('"We won,"', "Kane said.", source="Kane", cue="said")])
    assert quotes(convert(rec))[0][0] == ["We won,"]
