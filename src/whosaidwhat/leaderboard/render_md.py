"""leaderboard.md: the ranked tables in Markdown, for a README.

The method, titles and reasons are this package's own text; everything else is escaped.

Every name a submitter wrote goes through `safe.md_text` (HTML-escaped, Markdown characters
backslash-escaped, one line, clipped): it cannot open a link, an image, a code span or a new
table cell. System ids of ranked systems are checked (`entries.SYSTEM_ID`: letters, digits, `.`, `_`,
`-`), so they are written as code spans unchanged.
"""

from __future__ import annotations

from .safe import md_text, short_hash


def _num(v: dict | None) -> str:
    if not v or v.get("value") is None:
        return "n/a"
    return f"{v['value']:.4f}"


def _with_ci(v: dict | None) -> str:
    if not v or v.get("value") is None:
        return "n/a"
    if v.get("ci_low") is None:
        return _num(v)
    return f"{v['value']:.4f} [{v['ci_low']:.4f}, {v['ci_high']:.4f}]"


def _flag(value) -> str:
    return {True: "yes", False: "no"}.get(value, "not stated")


def leaderboard_markdown(lb: dict) -> str:
    systems = {s["id"]: s for s in lb["systems"]}
    g, sc, rk = lb["gold"], lb["scorer"], lb["ranking"]
    lines = ["# WhoSaidWhat leaderboard", "",
             (f"Gold: {md_text(g['kind'])} version {md_text(g['version'] or 'unknown')}, split **{md_text(g['split'])}**, "
             f"{g['documents']} documents, content SHA-256 `{short_hash(g['content_sha256'], 16)}`. "
             f"Scorer: whosaidwhat {md_text(sc['version'])} (metrics {md_text(sc['metrics_version'])})."), "",
             (f"Intervals: {rk['intervals']}. Tie group: systems not significantly different from the "
             f"system above ({rk['test']}; {rk['correction']}; alpha = {rk['alpha']})."), ""]
    for track in lb["tracks"].values():
        extra = " | macro-F1" if track["key"] == "entities" else ""
        lines += [f"## {track['title']}", "", f"Ranked by `{track['metric']}`.", "",
                  f"| rank | tie group | system | kind | saw test texts | F1 [95% CI] | P | R{extra} | submission SHA-256 |",
                  "|---:|---:|---|---|---|---|---:|---:|" + ("---:|" if extra else "") + "---|"]
        for row in track["rows"]:
            card = systems[row["system"]]["card"]
            cells = [str(row["rank"]), str(row["tie_group"]),
                     f"{md_text(card['name'], 80)} {md_text(card['version'], 30)} (`{row['system']}`)",
                     md_text(card["kind"], 20), _flag(card["saw_test_texts"]), _with_ci(row["score"]),
                     _num(row["precision"]), _num(row["recall"])]
            if extra:
                cells.append(_num(row["macro_f1"]))
            cells.append(f"`{short_hash(row['submission_sha256'])}`")
            lines.append("| " + " | ".join(cells) + " |")
        if not track["rows"]:
            lines.append("| | | no system entered this track | | | | | |" + (" |" if extra else ""))
        if track["not_ranked"]:
            lines += ["", "Not in this track: " + "; ".join(
                f"`{n['system']}` ({n['reason']})" for n in track["not_ranked"]) + "."]
        lines.append("")
    if lb["refused"]:
        lines += ["## Refused", ""]
        for r in lb["refused"]:
            lines.append(f"- {md_text(r['system'], 80)}: {md_text(r['reasons'][0], 400)}"
                         + (f" (and {len(r['reasons']) - 1} more)" if len(r["reasons"]) > 1 else ""))
        lines.append("")
    return "\n".join(lines)
