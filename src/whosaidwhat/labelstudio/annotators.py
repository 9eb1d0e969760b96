"""Who an annotation belongs to: annotator ids and the Label Studio users that stand for them.

Work made outside Label Studio (one canonical document per annotator) enters a project as the
annotation of a *placeholder user* that stands for the annotator: a Label Studio user without a
password (it cannot log in) whose e-mail address is `<annotator id>@annotators.invalid` and whose
first name is the annotator id, exactly. `.invalid` is reserved (RFC 2606): the address reaches
nobody and is no personal data. On the way back, such users map to their annotator id again.

Which id a Label Studio user gets when annotations are converted (first match wins):
1. the `--annotators` map, by user id or by e-mail address;
2. the annotator recorded when `push` created the annotation (see `provenance.py`);
3. a placeholder user: its first name (or the e-mail's local part);
4. otherwise `ls-user-<id>`, a pseudonym. Real e-mail addresses are never written into documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.problems import cut, fail
from .decode import ID_PATTERN

PLACEHOLDER_DOMAIN = "annotators.invalid"
_LOCAL_PART = re.compile(r"[^a-z0-9._-]")
#: the layer whose first producer is the annotator, then the fallbacks
ANNOTATOR_LAYERS = ("mentions", "quotes", "claims")


def placeholder_email(annotator: str) -> str:
    """`<annotator id>@annotators.invalid`, the id lower-cased and made a valid e-mail local part."""
    local = _LOCAL_PART.sub("_", annotator.lower())
    if local.startswith(".") or local.endswith(".") or ".." in local:
        local = local.replace(".", "_")
    return f"{local[:64]}@{PLACEHOLDER_DOMAIN}"


def is_placeholder(email) -> bool:
    return isinstance(email, str) and email.lower().endswith("@" + PLACEHOLDER_DOMAIN)


def annotator_from_user(email, first_name) -> str | None:
    """The annotator id a placeholder user stands for; None for any other user."""
    if not is_placeholder(email):
        return None
    if isinstance(first_name, str) and ID_PATTERN.match(first_name):
        return first_name
    local = email.rsplit("@", 1)[0]
    return local if ID_PATTERN.match(local) else None


def annotator_of(doc, where: str) -> str | None:
    """The annotator of a document made by one annotator: `provenance.layers.mentions.producers[0].id`.

    A document whose mentions layer has no producer (an absent layer) falls back to the first
    producer of quotes, then claims. Runs before validation, so a document too broken to say
    (no provenance object at all) gives None and validation reports it; a document that simply
    names no producer is one LS-PRODUCER-ID problem.
    """
    provenance = doc.get("provenance") if isinstance(doc, dict) else None
    layers = provenance.get("layers") if isinstance(provenance, dict) else None
    if not isinstance(layers, dict):
        return None
    for name in ANNOTATOR_LAYERS:
        record = layers.get(name)
        producers = record.get("producers") if isinstance(record, dict) else None
        if isinstance(producers, list) and producers:
            first = producers[0]
            annotator = first.get("id") if isinstance(first, dict) else None
            if not isinstance(annotator, str) or not annotator:
                break
            if not ID_PATTERN.match(annotator) or len(annotator) > 150:
                fail("LS-PRODUCER-ID", f"producer id {cut(repr(annotator))} cannot be an annotator id (at most 150 "
                     "letters, digits, '_', '.', ':', '-'); nothing was pushed", file=where,
                     path=f"$.provenance.layers.{name}.producers[0].id", found=annotator, expected="an annotator id")
            return annotator
    fail("LS-PRODUCER-ID", "no annotator: provenance.layers.mentions.producers[0].id is missing (and no other layer "
         "names a producer); --annotator-from-provenance needs the id of the one annotator who made the document "
         "there; nothing was pushed", file=where, path="$.provenance.layers.mentions.producers[0].id",
         expected="an annotator id")


def check_case_collisions(annotators: Iterable[str], what: str = "nothing was pushed") -> None:
    """Refuse annotator ids that differ only by case (LS-ANNOTATOR-CASE): one folder, one e-mail address."""
    seen: dict[str, str] = {}
    for annotator in sorted(set(annotators)):
        other = seen.setdefault(annotator.lower(), annotator)
        if other != annotator:
            fail("LS-ANNOTATOR-CASE", f"annotator ids {other!r} and {annotator!r} differ only by case: they would share "
                 "one folder on case-insensitive file systems and one Label Studio user; give them ids that differ in "
                 f"more than case; {what}", found=f"{other!r} and {annotator!r}", expected="ids unique ignoring case")


def ensure_users(client, annotators: Iterable[str]) -> tuple[dict, list]:
    """({annotator id: Label Studio user id}, e-mails of the users created): find placeholder users, create missing ones.

    Every conflict is found before any user is created: two annotator ids that would share one
    e-mail address, or an existing user with that address that stands for somebody else.
    """
    wanted = sorted(set(annotators))
    check_case_collisions(wanted)
    by_email: dict[str, list] = {}
    for annotator in wanted:
        by_email.setdefault(placeholder_email(annotator), []).append(annotator)
    for email, ids in by_email.items():
        if len(ids) > 1:
            fail("LS-ANNOTATOR-COLLISION", f"annotator ids {' and '.join(map(repr, ids))} would both be Label Studio user "
                 f"{email}; give them ids that differ in more than punctuation; nothing was pushed",
                 found=" and ".join(map(repr, ids)), expected="one placeholder user per annotator id")
    existing = {(getattr(u, "email", "") or "").lower(): u for u in client.users()}
    for email, (annotator,) in by_email.items():
        user = existing.get(email)
        if user is not None and annotator_from_user(user.email, user.first_name) != annotator:
            fail("LS-USER-CONFLICT", f"Label Studio user {email} (id {user.id}) stands for "
                 f"{user.first_name or 'somebody else'!r}, not for annotator {annotator!r}; rename one of them; "
                 "nothing was pushed", found=user.first_name or None, expected=annotator)
    users, created = {}, []
    for email, (annotator,) in sorted(by_email.items()):
        user = existing.get(email)
        if user is None:
            user = client.create_user(email, annotator)
            created.append(email)
        users[annotator] = user.id
    return users, created


@dataclass
class Annotators:
    """How Label Studio users become annotator ids (the rules are in the module docstring).

    `mapping` (the --annotators JSON object) takes a user id or an e-mail address to an annotator
    id. `users` (user id -> (e-mail, first name)) is what the server says about its users; `pull`
    fills it, so that e-mail keys work with exports that name users by id only. `used` collects
    the map keys that matched a user, so that keys matching nobody are reported, not ignored.
    """

    mapping: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    used: set = field(default_factory=set, compare=False)

    def _mapped(self, key: str) -> tuple[str | None, str | None]:
        self.used.add(key)
        mapped = self.mapping[key]
        if not isinstance(mapped, str) or not ID_PATTERN.match(mapped):
            return None, f"annotator map gives {cut(repr(mapped))} for {key}, expected an id of letters, digits, _ . : -"
        return mapped, None

    def _user(self, completed_by) -> tuple[object, str | None, object]:
        """(user id, lower-cased e-mail or None, first name) of a completed_by value (an id or an object)."""
        user_id, email, first_name = completed_by, None, None
        if isinstance(completed_by, dict):
            user_id, email, first_name = completed_by.get("id"), completed_by.get("email"), completed_by.get("first_name")
        if not isinstance(email, str) and isinstance(user_id, int) and user_id in self.users:
            email, first_name = self.users[user_id]
        return user_id, (email.strip().lower() if isinstance(email, str) and email.strip() else None), first_name

    def resolve(self, completed_by, pushed: str | None = None) -> tuple[str | None, str | None]:
        """(annotator id, problem); `pushed` is the annotator `push` recorded for this annotation, if any."""
        user_id, email, first_name = self._user(completed_by)
        if isinstance(user_id, bool) or not isinstance(user_id, int):
            return None, f"completed_by is not a user id: {cut(repr(completed_by))}"
        if str(user_id) in self.mapping:
            return self._mapped(str(user_id))
        if email and email in self.mapping:
            return self._mapped(email)
        if pushed and ID_PATTERN.match(pushed):
            return pushed, None
        if email is None and any("@" in key for key in self.mapping):
            return None, (f"user {user_id} is not in the annotator map by id, and this export names users by id only, "
                          f"so the map's e-mail keys cannot be applied to it; add \"{user_id}\" to the map, or use "
                          "`wsw labelstudio pull`, which looks the e-mail addresses up")
        return annotator_from_user(email, first_name) or f"ls-user-{user_id}", None

    def unused(self) -> list[str]:
        """The map keys that matched no user resolved so far."""
        return sorted(set(self.mapping) - self.used)

    def email_of(self, completed_by) -> str | None:
        """The e-mail address of a placeholder user (no personal data), else None: real addresses are never written."""
        email = completed_by.get("email") if isinstance(completed_by, dict) else None
        if email is None and isinstance(completed_by, int) and completed_by in self.users:
            email = self.users[completed_by][0]
        return email.lower() if isinstance(email, str) and is_placeholder(email) else None


def check_map(mapping, source: str) -> dict:
    """The --annotators map with its keys normalised; a key that is neither a user id nor an e-mail is refused."""
    if not isinstance(mapping, dict):
        fail("LS-MAP-INVALID", "the annotator map must be a JSON object {\"<Label Studio user id or e-mail>\": "
             "\"<annotator id>\"}", file=source, path="$", found=type(mapping).__name__, expected="object")
    out = {}
    for key, value in mapping.items():
        norm = str(key).strip().lower()
        if not ((norm.isascii() and norm.isdigit()) or "@" in norm):
            fail("LS-MAP-INVALID", f"annotator map key {cut(repr(norm))} is neither a Label Studio user id (digits) nor "
                 "an e-mail address", file=source, path=f"$[{cut(repr(key))}]", found=key,
                 expected="a user id or an e-mail address")
        if norm in out:
            fail("LS-MAP-INVALID", f"annotator map keys differ only by case or spaces ({cut(repr(norm))})", file=source,
                 found=key, expected="each user once")
        out[norm] = value
    return out
