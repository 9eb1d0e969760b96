"""Helpers for campaign tests: a second real Label Studio user, and annotations as the browser makes them.

The browser-shaped results are written by hand (random 10-character region ids, relations drawn
in either direction, unlabelled relations), independently of `encode.py`, so that decoding is
tested against what annotators really produce and not against our own encoder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

FIXTURES = Path(__file__).parent / "fixtures"
DOCUMENTS = FIXTURES / "documents"
MINI = "ls-mini-unicode"
#: "Zoë Ünal" as stored in the fixture text: e and U followed by COMBINING DIAERESIS (not NFC)
ZOE = "Zoe\u0308 U\u0308nal"


def load_doc(name: str) -> dict:
    return json.loads((DOCUMENTS / f"{name}.json").read_text(encoding="utf-8"))


def signup_annotator(url: str, admin_token: str, email: str, password: str) -> str:
    """Create a real second login through the invite link (as a new annotator would) and return its API token."""
    invite = httpx.get(f"{url}/api/invite", headers={"Authorization": f"Token {admin_token}"}, timeout=30)
    invite.raise_for_status()
    with httpx.Client(base_url=url, timeout=30, follow_redirects=False) as browser:
        signup = f"/user/signup/?token={invite.json()['token']}"
        page = browser.get(signup)
        csrf = browser.cookies.get("csrftoken") or re.search(r'csrfmiddlewaretoken" value="([^"]+)', page.text).group(1)
        answer = browser.post(signup, data={"email": email, "password": password, "csrfmiddlewaretoken": csrf},
                              headers={"Referer": url + signup})
        assert answer.status_code == 302, f"signup failed: {answer.status_code} {answer.text[:300]}"
        token = browser.get("/api/current-user/token")
        token.raise_for_status()
        return token.json()["token"]


def _span(rid, group, start, end, text, label):
    return {"id": rid, "from_name": group, "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def _choice(rid, control, start, end, text, value):
    return {"id": rid, "from_name": control, "to_name": "text", "type": "choices", "origin": "manual",
            "value": {"start": start, "end": end, "text": text, "choices": [value]}}


def _relation(a, b, labels=()):
    return {"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": list(labels)}


def _layers(*names):
    return {"id": "Lx0aYq2mWk", "from_name": "annotated_layers", "to_name": "text", "type": "choices",
            "origin": "manual", "value": {"choices": list(names)}}


# Annotator A on ls-mini-unicode: the interrupted quote, its cue and speaker. The said_by arrow is
# drawn from the mention to the second fragment (backwards), and the fragments are joined by an
# unlabelled relation: both are what a hurried annotator does.
ANNOTATOR_A = [
    _span("aZ3kq9TnL1", "mention", 55, 65, ZOE, "PER"),
    _choice("aZ3kq9TnL1", "mention_kind", 55, 65, ZOE, "name"),
    _span("Qa1xYz0001", "attribution", 39, 47, "We will,", "Quote"),
    _choice("Qa1xYz0001", "quote_type", 39, 47, "We will,", "direct"),
    _span("Qa1xYz0002", "attribution", 83, 110, "rebuild the bridge by 2027.", "Quote"),
    _span("Cu8pLmN0qR", "attribution", 66, 70, "said", "Cue"),
    _relation("Qa1xYz0001", "Qa1xYz0002"),
    _relation("Qa1xYz0001", "Cu8pLmN0qR", ["cue_of"]),
    _relation("aZ3kq9TnL1", "Qa1xYz0002", ["said_by"]),
    _layers("mentions", "quotes"),
]

EXPECTED_A = {
    "entities": [{"id": "e-aZ3kq9TnL1", "type": "PER", "name": ZOE, "kb_id": None}],
    "mentions": [{"id": "aZ3kq9TnL1", "start": 55, "end": 65, "text": ZOE, "type": "PER", "kind": "name",
                  "entity": "e-aZ3kq9TnL1"}],
    "quotes": [{"id": "Qa1xYz0001", "fragments": [{"start": 39, "end": 47, "text": "We will,"},
                                                  {"start": 83, "end": 110, "text": "rebuild the bridge by 2027."}],
                "cue": {"start": 66, "end": 70, "text": "said"}, "speaker": {"kind": "mention", "mention": "aZ3kq9TnL1"},
                "type": "direct"}],
    "claims": [],
    "status": {"mentions": "draft", "quotes": "draft", "claims": "absent"},
}

# Annotator B: the critics' quote, a coreference arrow between two mentions, and a claim by an unknown source.
ANNOTATOR_B = [
    _span("Bm0Critics", "mention", 113, 135, "Critics from Acme Corp", "PER"),
    _choice("Bm0Critics", "mention_kind", 113, 135, "Critics from Acme Corp", "nominal"),
    _span("Bm1AcmeCrp", "mention", 126, 135, "Acme Corp", "ORG"),
    _choice("Bm1AcmeCrp", "mention_kind", 126, 135, "Acme Corp", "name"),
    _span("Bm2Council", "mention", 211, 227, "the city council", "ORG"),
    _choice("Bm2Council", "mention_kind", 211, 227, "the city council", "nominal"),
    {"id": "Bm2Council", "from_name": "entity_kb_id", "to_name": "text", "type": "textarea", "origin": "manual",
     "value": {"start": 211, "end": 227, "text": ["wikipedia:City council"]}},
    _relation("Bm1AcmeCrp", "Bm2Council", ["coref"]),
    _span("BqTriple01", "attribution", 148, 166, "costs would triple", "Quote"),
    _choice("BqTriple01", "quote_type", 148, 166, "costs would triple", "indirect"),
    _span("BcArgued01", "attribution", 136, 142, "argued", "Cue"),
    _relation("BqTriple01", "BcArgued01", ["cue_of"]),
    _relation("BqTriple01", "Bm0Critics", ["said_by"]),
    _span("BkBridge01", "attribution", 168, 196, "The bridge collapsed in 2019", "Claim"),
    _choice("BkBridge01", "check_worthy", 168, 196, "The bridge collapsed in 2019", "check-worthy"),
    _choice("BkBridge01", "claimant", 168, 196, "The bridge collapsed in 2019", "unknown"),
    _layers("mentions", "quotes", "claims"),
]

EXPECTED_B = {
    "entities": [{"id": "e-Bm0Critics", "type": "PER", "name": "Critics from Acme Corp", "kb_id": None},
                 {"id": "e-Bm1AcmeCrp", "type": "ORG", "name": "Acme Corp", "kb_id": "wikipedia:City council"}],
    "mentions": [
        {"id": "Bm0Critics", "start": 113, "end": 135, "text": "Critics from Acme Corp", "type": "PER", "kind": "nominal",
         "entity": "e-Bm0Critics"},
        {"id": "Bm1AcmeCrp", "start": 126, "end": 135, "text": "Acme Corp", "type": "ORG", "kind": "name",
         "entity": "e-Bm1AcmeCrp"},
        {"id": "Bm2Council", "start": 211, "end": 227, "text": "the city council", "type": "ORG", "kind": "nominal",
         "entity": "e-Bm1AcmeCrp"}],
    "quotes": [{"id": "BqTriple01", "fragments": [{"start": 148, "end": 166, "text": "costs would triple"}],
                "cue": {"start": 136, "end": 142, "text": "argued"}, "speaker": {"kind": "mention", "mention": "Bm0Critics"},
                "type": "indirect"}],
    "claims": [{"id": "BkBridge01", "fragments": [{"start": 168, "end": 196, "text": "The bridge collapsed in 2019"}],
                "claimant": {"kind": "unknown"}, "quote": None, "check_worthy": True}],
    "status": {"mentions": "draft", "quotes": "draft", "claims": "draft"},
}


def layers_of(doc: dict) -> dict:
    """The annotation content of a document, order-independent: what a round trip must preserve."""
    key = lambda item: item["id"]  # noqa: E731
    return {name: sorted(doc[name], key=key) for name in ("entities", "mentions", "quotes", "claims")} | {
        "annotated": sorted(n for n, r in doc["provenance"]["layers"].items() if r["status"] != "absent")}
