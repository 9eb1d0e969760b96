"""The leaderboard as self-contained HTML: index.html and one page per system.

Self-contained means no request leaves the page: no CDN, no web font, no external image, CSS
and JavaScript inline, charts as inline SVG. A Content-Security-Policy in a `<meta>` element
backs that up: `default-src 'none'` with the page's own `<style>` and `<script>` allowed by their
SHA-256 hashes only, so even an injected `<script>`, `<img>` or `style` attribute could neither
run nor load anything. Untrusted text never gets that far: everything a submitter wrote goes
through `safe.html_text` (escaped and clipped), and links are made only from URLs `safe.safe_url`
accepts. The small script only makes tables sortable; the pages read the same without it.
"""

from __future__ import annotations

import base64
import hashlib

from .cards import card_json_excerpt
from .safe import html_text, safe_url, short_hash

CSS = """\
:root{--ink:#1d2430;--muted:#5b6574;--line:#d9dee5;--band:#f3f6fa;--accent:#1f5fbf;--warn:#9a3412}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);
margin:0 auto;max-width:1200px;padding:24px 20px 60px;background:#fff}
h1{font-size:1.6em;margin:.2em 0 .4em}
h2{font-size:1.25em;margin:1.8em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.05em;margin:1.4em 0 .4em}
p,li{max-width:90ch}
.meta{color:var(--muted);font-size:.92em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:.92em}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--band);font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.odd td{background:#f8fafc}
code,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.flag{display:inline-block;padding:0 6px;border-radius:3px;font-size:.85em;background:#fde8e8;color:var(--warn)}
.flag.unknown{background:#eef0f3;color:var(--muted)}
.flag.ok{background:#e7f5ec;color:#166534}
.chart{width:100%;max-width:900px;height:auto;display:block;margin:.5em 0 1em}
.chart text{font:12px system-ui,sans-serif;fill:var(--ink)}
.chart .axis{fill:var(--muted)}
.prose{white-space:pre-wrap;word-break:break-word}
pre{white-space:pre-wrap;word-break:break-word;background:var(--band);padding:10px;border-radius:4px;font-size:.85em;
max-height:40em;overflow:auto}
a{color:var(--accent)}
th[data-sort]{cursor:pointer}
th[data-sort=asc]::after{content:" \\25B2"}
th[data-sort=desc]::after{content:" \\25BC"}
.refused li{margin-bottom:.5em}
"""

JS = """\
document.documentElement.dataset.js = "on";
for (const table of document.querySelectorAll("table[data-sortable]")) {
  const heads = table.tHead ? table.tHead.rows[0].cells : [];
  Array.from(heads).forEach((th, col) => {
    th.dataset.sort = "";
    th.title = "Sort by this column";
    th.addEventListener("click", () => {
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const dir = th.dataset.sort === "asc" ? -1 : 1;
      Array.from(heads).forEach((h) => { h.dataset.sort = ""; });
      th.dataset.sort = dir > 0 ? "asc" : "desc";
      const key = (row) => {
        const cell = row.cells[col];
        const raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
        const number = parseFloat(raw);
        return Number.isNaN(number) ? raw : number;
      };
      rows.sort((a, b) => { const x = key(a), y = key(b); return (x > y ? 1 : x < y ? -1 : 0) * dir; });
      rows.forEach((row) => body.appendChild(row));
    });
  });
}
"""


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


#: the policy of every page: nothing may load or run but the page's own style and script
CSP = ("default-src 'none'; img-src data:; "
       f"style-src '{_hash(CSS)}'; script-src '{_hash(JS)}'; base-uri 'none'; form-action 'none'")

TRACK_COLUMNS = {"entities": ("F1", "P", "R", "macro-F1"), "quotes": ("F1", "P", "R"), "claims": ("F1", "P", "R")}


def page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html_text(title, 200)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
            f"<script>{JS}</script>\n</body>\n</html>\n")


# -- small pieces ----------------------------------------------------------------------------------

def _num(x, digits: int = 4) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _with_ci(v: dict | None) -> str:
    if not v or v.get("value") is None:
        return "n/a"
    if v.get("ci_low") is None:
        return _num(v["value"])
    return f"{_num(v['value'])} <span class=\"meta\">[{_num(v['ci_low'])}, {_num(v['ci_high'])}]</span>"


def _td_num(v: dict | None, ci: bool = False) -> str:
    value = None if not v else v.get("value")
    shown = _with_ci(v) if ci else _num(value)
    data = "" if value is None else f" data-value=\"{value:.6f}\""
    return f"<td class=\"num\"{data}>{shown}</td>"


def _contamination(flag) -> str:
    if flag is True:
        return "<span class=\"flag\">yes</span>"
    if flag is False:
        return "<span class=\"flag ok\">no</span>"
    return "<span class=\"flag unknown\">not stated</span>"


def _p(x) -> str:
    if x is None:
        return "n/a"
    return f"{x:.4f}" if x >= 0.0001 else f"{x:.1e}"


def _systems_by_id(leaderboard: dict) -> dict:
    return {s["id"]: s for s in leaderboard["systems"]}


def _provenance(lb: dict) -> str:
    g, sc, st, rk = lb["gold"], lb["scorer"], lb["settings"], lb["ranking"]
    return (f"<p class=\"meta\">Gold: {html_text(g['kind'])} <code>{html_text(g['path'], 200)}</code>, version "
            f"{html_text(g['version'] or 'unknown')} (splits {html_text(g['splits_version'] or 'unknown')}), split "
            f"<b>{html_text(g['split'])}</b>, {g['documents']} documents, content SHA-256 "
            f"<code class=\"hash\" title=\"{html_text(g['content_sha256'])}\">{short_hash(g['content_sha256'], 16)}</code>. "
            f"Scorer: whosaidwhat {html_text(sc['version'])}, metrics {html_text(sc['metrics_version'])}, labels "
            f"{html_text(sc['inventory_version'])}; quote and claim match at IoU &ge; {st['span_overlap']}, entity "
            f"mentions of kind {html_text(', '.join(st['mention_kinds']))}.</p>\n"
            f"<p class=\"meta\">Intervals: {html_text(rk['intervals'])}. Tie groups: {html_text(rk['comparison'])}; "
            f"{html_text(rk['test'])}; {html_text(rk['correction'])}; &alpha; = {rk['alpha']}.</p>")


# -- the chart -------------------------------------------------------------------------------------

def chart_svg(track: dict, systems: dict) -> str:
    """Dot-and-whisker chart of the track's scores with their intervals, one row per ranked system."""
    rows = track["rows"]
    left, plot, right, top, row_h = 260, 560, 30, 34, 26
    width = left + plot + right
    height = top + row_h * max(len(rows), 1) + 12

    def x(v: float) -> float:
        return round(left + max(0.0, min(1.0, v)) * plot, 1)

    title = f"{track['title']}: {track['metric']} with {len(rows)} system(s) and their intervals"
    parts = [(f"<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-{track['key']}-title\" "
             f"viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">"),
             f"<title id=\"chart-{track['key']}-title\">{html_text(title, 300)}</title>"]
    for i, row in enumerate(rows):  # shade every other tie group
        if row["tie_group"] % 2 == 0:
            parts.append(f"<rect x=\"0\" y=\"{top + i * row_h}\" width=\"{width}\" height=\"{row_h}\" fill=\"#f1f4f9\"/>")
    for k in range(6):
        v = k / 5
        parts.append(f"<line x1=\"{x(v)}\" y1=\"{top - 6}\" x2=\"{x(v)}\" y2=\"{height - 8}\" stroke=\"#d9dee5\"/>")
        parts.append(f"<text class=\"axis\" x=\"{x(v)}\" y=\"{top - 12}\" text-anchor=\"middle\">{v:.1f}</text>")
    if not rows:
        parts.append(f"<text x=\"{left}\" y=\"{top + 16}\">no system entered this track</text>")
    for i, row in enumerate(rows):
        y = top + i * row_h + row_h / 2
        name = systems.get(row["system"], {}).get("card", {}).get("name", row["system"])
        s = row["score"]
        label = f"{row['rank']}. {name}"
        tip = (f"{name} ({row['system']}): {track['metric']} {_num(s['value'])}"
               + (f" [{_num(s['ci_low'])}, {_num(s['ci_high'])}]" if s.get("ci_low") is not None else "")
               + f"; rank {row['rank']}, tie group {row['tie_group']}")
        parts.append(f"<g class=\"system\" data-system=\"{html_text(row['system'], 80)}\"><title>{html_text(tip, 400)}</title>")
        parts.append(f"<text x=\"{left - 10}\" y=\"{y + 4}\" text-anchor=\"end\">{html_text(label, 36)}</text>")
        if s.get("ci_low") is not None:
            lo, hi = x(s["ci_low"]), x(s["ci_high"])
            parts.append(f"<line class=\"ci\" x1=\"{lo}\" y1=\"{y}\" x2=\"{hi}\" y2=\"{y}\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>")
            for edge in (lo, hi):
                parts.append(f"<line x1=\"{edge}\" y1=\"{y - 5}\" x2=\"{edge}\" y2=\"{y + 5}\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>")
        parts.append(f"<circle class=\"point\" cx=\"{x(s['value'])}\" cy=\"{y}\" r=\"5\" fill=\"#1d2430\"/>")
        parts.append(f"<text class=\"axis\" x=\"{x(s['value'])}\" y=\"{y - 7}\" text-anchor=\"middle\">{_num(s['value'], 3)}</text></g>")
    parts.append("</svg>")
    return "\n".join(parts)


# -- index.html ------------------------------------------------------------------------------------

def _track_table(track: dict, systems: dict) -> str:
    heads = ["Rank", "Tie group", "System", "Kind", "Saw test texts", *(
        f"{c} [95% CI]" if c == "F1" else c for c in TRACK_COLUMNS[track["key"]]), "&Delta; vs above [CI]",
             "p (Holm)", "Submission"]
    out = [f"<table class=\"track\" id=\"table-{track['key']}\" data-sortable><thead><tr>"
           + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead><tbody>"]
    for row in track["rows"]:
        system = systems[row["system"]]
        card = system["card"]
        vs = row.get("versus_above")
        if vs:
            delta = (f"{vs['delta']:+.4f}" + (f" <span class=\"meta\">[{vs['delta_ci_low']:+.4f}, {vs['delta_ci_high']:+.4f}]</span>"
                                             if vs.get("delta_ci_low") is not None else ""))
            p = _p(vs["p_adjusted"]) + (" *" if vs["significant"] else "")
        else:
            delta, p = "", ""
        cells = [f"<td class=\"num\">{row['rank']}</td>", f"<td class=\"num\">{row['tie_group']}</td>",
                 (f"<td><a href=\"{html_text(system['page'], 200)}\">{html_text(card['name'], 120)}</a> "
                 f"<span class=\"meta\">{html_text(card['version'], 40)}</span></td>"),
                 f"<td>{html_text(card['kind'], 20)}</td>", f"<td>{_contamination(card['saw_test_texts'])}</td>",
                 _td_num(row["score"], ci=True), _td_num(row["precision"]), _td_num(row["recall"])]
        if track["key"] == "entities":
            cells.append(_td_num(row["macro_f1"]))
        cells += [f"<td class=\"num\">{delta}</td>", f"<td class=\"num\">{p}</td>",
                  (f"<td><code class=\"hash\" title=\"{html_text(row['submission_sha256'])}\">"
                  f"{short_hash(row['submission_sha256'])}</code></td>")]
        out.append(f"<tr class=\"{'odd' if row['tie_group'] % 2 else 'even'}\">" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if track["not_ranked"]:
        items = "".join(f"<li><b>{html_text(systems.get(n['system'], {}).get('card', {}).get('name', n['system']), 120)}</b>"
                        f" <span class=\"meta\">({html_text(n['system'], 80)})</span>: {html_text(n['reason'], 300)}</li>"
                        for n in track["not_ranked"])
        out.append(f"<p class=\"meta\">Not in this track:</p><ul class=\"meta\">{items}</ul>")
    return "\n".join(out)


def index_page(lb: dict) -> str:
    systems = _systems_by_id(lb)
    body = ["<h1>WhoSaidWhat leaderboard</h1>", _provenance(lb),
            ("<p class=\"meta\">Each track ranks the systems that submitted it by its headline metric. Systems in the same "
            "tie group are not significantly different from the system above them. * marks a significant difference. "
            "<a href=\"leaderboard.json\">leaderboard.json</a> holds every number; "
            "<a href=\"leaderboard.md\">leaderboard.md</a> is the same table in Markdown.</p>"),
            "<nav><p>" + " &middot; ".join(f"<a href=\"#track-{t['key']}\">{html_text(t['key'])}</a>"
                                           for t in lb["tracks"].values())
            + " &middot; <a href=\"#systems\">systems</a> &middot; <a href=\"#not-ranked\">not ranked</a></p></nav>"]
    for track in lb["tracks"].values():
        body.append(f"<section id=\"track-{track['key']}\"><h2>{html_text(track['title'])}</h2>")
        body.append(f"<p class=\"meta\">Ranked by <code>{html_text(track['metric'])}</code>; {len(track['rows'])} "
                    "system(s).</p>")
        body.append(chart_svg(track, systems))
        body.append(_track_table(track, systems))
        body.append("</section>")
    body.append("<section id=\"systems\"><h2>Systems</h2><table data-sortable><thead><tr><th>System</th><th>Team</th>"
                "<th>Kind</th><th>Saw test texts</th><th>Training data</th><th>License</th><th>Date</th>"
                "<th>Predictions</th></tr></thead><tbody>")
    for s in lb["systems"]:
        card = s["card"]
        predictions = (f"<a href=\"{html_text(s['predictions_copy'], 200)}\">{html_text(s['submission']['file'], 80)}</a>"
                       if s["predictions_copy"] else html_text(s["submission"]["file"], 80))
        body.append(f"<tr><td><a href=\"{html_text(s['page'], 200)}\">{html_text(card['name'], 120)}</a> "
                    f"<span class=\"meta\">{html_text(s['id'], 80)}</span></td><td>{_stated(card['team'], 120)}</td>"
                    f"<td>{html_text(card['kind'], 20)}</td><td>{_contamination(card['saw_test_texts'])}</td>"
                    f"<td>{_stated(card['training_data'], 160)}</td><td>{html_text(card['license'], 60)}</td>"
                    f"<td>{_stated(card['date'], 20)}</td><td>{predictions} <code class=\"hash\" "
                    f"title=\"{html_text(s['submission']['sha256'])}\">{short_hash(s['submission']['sha256'])}</code></td></tr>")
    body.append("</tbody></table></section>")
    body.append("<section id=\"not-ranked\"><h2>Not ranked</h2>")
    if lb["refused"]:
        body.append(f"<h3>Refused ({len(lb['refused'])})</h3><ul class=\"refused\">")
        for r in lb["refused"]:
            reasons = "".join(f"<li>{html_text(x, 600)}</li>" for x in r["reasons"][:12])
            body.append(f"<li><b>{html_text(r['system'], 80)}</b> <span class=\"meta\">{html_text(r['folder'], 200)}</span>"
                        f"<ul>{reasons}</ul></li>")
        body.append("</ul>")
    else:
        body.append("<p>No submission was refused.</p>")
    if lb["skipped"]:
        items = "".join(f"<li>{html_text(s['folder'], 200)}: {html_text('; '.join(s['reasons']), 300)}</li>"
                        for s in lb["skipped"])
        body.append(f"<h3>Skipped folders ({len(lb['skipped'])})</h3><ul class=\"meta\">{items}</ul>")
    body.append("</section>")
    return page("WhoSaidWhat leaderboard", "\n".join(body))


def _stated(value, limit: int) -> str:
    return "<span class=\"flag unknown\">not stated</span>" if value in (None, "") else html_text(value, limit)


# -- systems/<id>.html -----------------------------------------------------------------------------

def _card_table(system: dict, card_raw: str) -> str:
    card = system["card"]
    url = safe_url(card["url"])
    link = (f"<a href=\"{html_text(url, 2000)}\" rel=\"nofollow noopener noreferrer\">{html_text(url, 200)}</a>"
            if url else _stated(None, 0))
    rows = [("Name", html_text(card["name"], 120)), ("Version", html_text(card["version"], 64)),
            ("Team", _stated(card["team"], 200)), ("URL", link), ("Kind", html_text(card["kind"], 20)),
            ("Training data", f"<span class=\"prose\">{html_text(card['training_data'], 2000, newlines=True)}</span>"
             if card["training_data"] else _stated(None, 0)),
            ("Saw the test texts", _contamination(card["saw_test_texts"])), ("License", html_text(card["license"], 100)),
            ("Date", _stated(card["date"], 20)),
            ("Description", f"<span class=\"prose\">{html_text(card['description'], 2000, newlines=True)}</span>"),
            ("Card SHA-256", f"<code class=\"hash\">{html_text(card['card_sha256'])}</code>")]
    table = "<table class=\"card\"><tbody>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</tbody></table>"
    return table + f"<details><summary>card.json as submitted</summary><pre>{html_text(card_raw, 20000, newlines=True)}</pre></details>"


def _scores_table(lb: dict, system_id: str) -> str:
    out = [("<table><thead><tr><th>Track</th><th>Metric</th><th>Score [95% CI]</th><th>P</th><th>R</th><th>Rank</th>"
           "<th>Tie group</th></tr></thead><tbody>")]
    for track in lb["tracks"].values():
        row = next((r for r in track["rows"] if r["system"] == system_id), None)
        if row is None:
            reason = next((n["reason"] for n in track["not_ranked"] if n["system"] == system_id), "not entered")
            out.append(f"<tr><td>{html_text(track['key'])}</td><td><code>{html_text(track['metric'])}</code></td>"
                       f"<td colspan=\"5\" class=\"meta\">{html_text(reason, 300)}</td></tr>")
            continue
        out.append(f"<tr><td>{html_text(track['key'])}</td><td><code>{html_text(track['metric'])}</code></td>"
                   f"{_td_num(row['score'], ci=True)}{_td_num(row['precision'])}{_td_num(row['recall'])}"
                   f"<td class=\"num\">{row['rank']} of {len(track['rows'])}</td><td class=\"num\">{row['tie_group']}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _per_type_table(result: dict) -> str:
    per_type = result["entities"]["per_type"]
    if not per_type:
        return "<p class=\"meta\">No entity mention in the gold data or the predictions.</p>"
    out = [("<table data-sortable><thead><tr><th>Type</th><th class=\"num\">Gold</th><th class=\"num\">Predicted</th>"
           "<th class=\"num\">Strict P</th><th class=\"num\">Strict R</th><th class=\"num\">Strict F1 [95% CI]</th>"
           "<th class=\"num\">Exact F1</th><th class=\"num\">Partial F1</th><th class=\"num\">Type-overlap F1</th>"
           "</tr></thead><tbody>")]
    for label, row in per_type.items():
        out.append(f"<tr><td>{html_text(label, 20)}</td><td class=\"num\">{row['strict']['POS']}</td>"
                   f"<td class=\"num\">{row['strict']['ACT']}</td>{_td_num(row['strict']['precision'])}"
                   f"{_td_num(row['strict']['recall'])}{_td_num(row['strict']['f1'], ci=True)}"
                   f"{_td_num(row['exact']['f1'])}{_td_num(row['partial']['f1'])}{_td_num(row['ent_type']['f1'])}</tr>")
    out.append("</tbody></table>")
    schemes = result["entities"]["schemes"]
    out.append("<table><thead><tr><th>Scheme</th><th class=\"num\">COR</th><th class=\"num\">INC</th><th class=\"num\">PAR</th>"
               "<th class=\"num\">MIS</th><th class=\"num\">SPU</th><th class=\"num\">P</th><th class=\"num\">R</th>"
               "<th class=\"num\">F1 [95% CI]</th><th class=\"num\">macro-F1</th></tr></thead><tbody>")
    for name, row in schemes.items():
        out.append(f"<tr><td>{html_text(name, 20)}</td>" + "".join(f"<td class=\"num\">{row[k]}</td>" for k in
                                                                   ("COR", "INC", "PAR", "MIS", "SPU"))
                   + f"{_td_num(row['precision'])}{_td_num(row['recall'])}{_td_num(row['f1'], ci=True)}"
                   f"{_td_num(row['macro_f1'])}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


_DETAIL = {"quotes": (("attributed", "attributed (speaker correct)"), ("exact", "content exact"),
                      ("overlap", "content overlap"), ("chars", "content code points, matched"),
                      ("cue_exact", "cue exact"), ("cue_overlap", "cue overlap")),
           "claims": (("attributed", "attributed (claimant correct)"), ("exact", "content exact"),
                      ("overlap", "content overlap"), ("chars", "content code points, matched"))}
_ACCURACY = {"quotes": (("speaker_accuracy", "speaker accuracy, matched"), ("type_accuracy", "type accuracy, matched")),
             "claims": (("claimant_accuracy", "claimant accuracy, matched"),
                        ("check_worthy_accuracy", "check-worthiness accuracy, matched"),
                        ("quote_link_accuracy", "quote link accuracy, matched"))}


def _detail_table(result: dict, track: str) -> str:
    block = result[track]
    counts = block["counts"]
    out = [(f"<p class=\"meta\">Gold {counts['gold']}, predicted {counts['pred']}, matched {counts['matched']} at IoU &ge; "
           f"{block['min_overlap']}.</p><table><thead><tr><th>Metric</th><th class=\"num\">P</th><th class=\"num\">R</th>"
           "<th class=\"num\">F1 [95% CI]</th></tr></thead><tbody>")]
    for key, label in _DETAIL[track]:
        v = block[key]
        out.append(f"<tr><td>{label}</td>{_td_num(v['precision'])}{_td_num(v['recall'])}{_td_num(v['f1'], ci=True)}</tr>")
    for key, label in _ACCURACY[track]:
        out.append(f"<tr><td>{label}</td><td></td><td></td>{_td_num(block[key], ci=True)}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


SHOWN_MISTAKES = 100
_MISTAKE_TITLES = {"missed": ("Missed", "gold items no prediction matched"),
                   "spurious": ("Spurious", "predictions that match no gold item"),
                   "misattributed": ("Misattributed", "matched, but the {role} is wrong")}


def _mistakes(mistakes: dict, track: str) -> str:
    role = "speaker" if track == "quotes" else "claimant"
    block = mistakes.get(track) or {}
    out = []
    for kind in ("missed", "spurious", "misattributed"):
        items = block.get(kind, [])
        total = block.get("totals", {}).get(kind, len(items))
        title, what = _MISTAKE_TITLES[kind]
        out.append(f"<h4 id=\"{track}-{kind}\">{title} {track} ({total}): <span class=\"meta\">{what.format(role=role)}</span></h4>")
        if not items:
            out.append("<p class=\"meta\">None.</p>")
            continue
        source = {"missed": f"Gold {role}", "spurious": f"Predicted {role}", "misattributed": f"Gold {role}"}[kind]
        heads = ["Document", "Offsets", "Text", source] + ([f"Predicted {role}"] if kind == "misattributed" else [])
        rows = []
        for item in items[:SHOWN_MISTAKES]:
            offsets = ", ".join(f"[{s}, {e})" for s, e in item["spans"])
            text = html_text(item["text"], 400) if item["text"] is not None else "<span class=\"meta\">text withheld</span>"
            cells = [html_text(item["doc"], 130), offsets, text, html_text(item["source"], 120)]
            if kind == "misattributed":
                cells.append(html_text(item.get("predicted_source"), 120))
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("<table class=\"mistakes\"><thead><tr>" + "".join(f"<th>{h}</th>" for h in heads)
                   + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
        if total > min(len(items), SHOWN_MISTAKES):
            out.append(f"<p class=\"meta\">{total - min(len(items), SHOWN_MISTAKES)} more not shown; the score file "
                       "lists up to 1,000 of each kind.</p>")
    return "\n".join(out)


def system_page(lb: dict, entry, scored, show_errors: bool) -> str:
    system = _systems_by_id(lb)[entry.id]
    card = system["card"]
    result = scored.result
    sub = system["submission"]
    predictions = (f"<a href=\"../{html_text(system['predictions_copy'], 200)}\">{html_text(sub['file'], 100)}</a>"
                   if system["predictions_copy"] else html_text(sub["file"], 100))
    body = ["<p><a href=\"../index.html\">&larr; leaderboard</a></p>",
            f"<h1>{html_text(card['name'], 120)} <span class=\"meta\">{html_text(card['version'], 64)}</span></h1>",
            f"<p class=\"meta\">System id <code>{html_text(entry.id, 80)}</code>.</p>", _provenance(lb)]
    if system["warnings"]:
        body.append("<ul class=\"meta\">" + "".join(f"<li>{html_text(w, 300)}</li>" for w in system["warnings"]) + "</ul>")
    body += ["<h2>System card</h2>", _card_table(system, card_json_excerpt(entry.card)),
             "<h2>Submission</h2>",
             (f"<p>{predictions} ({html_text(sub['format'], 10)}, {sub['bytes']:,} bytes), SHA-256 "
             f"<code class=\"hash\">{html_text(sub['sha256'])}</code>; {sub['documents_scored']} of "
             f"{lb['gold']['documents']} documents predicted. Full result: "
             f"<a href=\"{html_text(entry.id, 80)}.score.json\">{html_text(entry.id, 80)}.score.json</a>.</p>")]
    if system["notes"]:
        body.append("<ul class=\"meta\">" + "".join(f"<li>{html_text(n, 400)}</li>" for n in system["notes"]) + "</ul>")
    body += ["<h2>Scores</h2>", _scores_table(lb, entry.id),
             "<h3>Entities per type (name mentions)</h3>", _per_type_table(result),
             "<h3>Quotes</h3>", _detail_table(result, "quotes"),
             "<h3>Claims</h3>", _detail_table(result, "claims")]
    if show_errors:
        body += ["<h2>Errors</h2>",
                 ("<p class=\"meta\">Quotes and claims as the scorer matched them (eval/METRICS.md); texts are the gold "
                 "text at the item's offsets.</p>"),
                 "<h3>Quotes</h3>", _mistakes(scored.mistakes, "quotes"),
                 "<h3>Claims</h3>", _mistakes(scored.mistakes, "claims")]
    else:
        body.append("<p class=\"meta\">Error lists are not shown on this leaderboard (built with --hide-errors).</p>")
    return page(f"{card['name']} - WhoSaidWhat leaderboard", "\n".join(body))
