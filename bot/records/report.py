"""The stats report as text for a terminal, or as one self-contained HTML page with a chart.

Both take the dict :func:`bot.records.stats.gather` returns. The page needs
nothing from the network: its chart is inline SVG, its style inline CSS, and
every recorded text is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

CHART_WIDTH, CHART_HEIGHT, CHART_MARGIN = 760, 220, 34
"""The per-day chart's size in pixels, and room for its axis labels."""
SERIES = (("questions", "Questions", "#1f3a5f"), ("up", "👍 votes", "#2e8b57"), ("down", "👎 votes", "#c0392b"))


def render_text(report: dict[str, Any]) -> str:
    """A readable terminal report."""
    feedback = report["feedback"]
    lines = [
        f"Pierpoint: the last {report['days']} days (since {report['since']})",
        "",
        f"Questions: {report['questions']}  (slash {report['via']['slash']}, DM {report['via']['dm']}, "
        f"mention {report['via']['mention']}, console {report['via']['console']})",
        f"No good match: {report['no_match']} ({report['no_match_share']:.0%})",
        f"Servers: {report['servers']}   Influence lookups: {report['influence_lookups']}",
        f"Votes: {feedback['up']} up, {feedback['down']} down"
        + (f"   Mean time to answer: {report['answer_ms_mean']:.0f} ms" if report["answer_ms_mean"] is not None
           else ""),
    ]

    def section(title: str, rows: list[str]) -> None:
        lines.extend(["", title])
        lines.extend(rows or ["  (none)"])

    section("Most-asked questions with no good match:",
            [f"  {row['count']:>5}  {row['question']}" for row in report["unanswered"]])
    down = []
    for row in report["down_voted"]:
        down.append(f"  {row['down']} down, {row['up']} up: {row['question'] or '(text not kept)'}")
        down.extend(f"      reason: {reason}" for reason in row["reasons"])
        if row["passages"]:
            down.append(f"      passages: {', '.join(row['passages'])}")
    section("Answers voted down:", down)
    section("Passages shown most:", [f"  {row['count']:>5}  {row['passage']}" for row in report["passages"]])
    section("Influences looked up most:",
            [f"  {row['count']:>5}  {row['influence']}" for row in report["influences"]])
    section("Per day (questions, no match, up, down):",
            [f"  {d['day']}  {d['questions']:>6} {d['no_match']:>6} {d['up']:>5} {d['down']:>5}"
             for d in report["per_day"]])
    return "\n".join(lines)


def chart_svg(per_day: list[dict[str, Any]]) -> str:
    """Questions, 👍 and 👎 per day as lines on one inline SVG chart."""
    width, height, margin = CHART_WIDTH, CHART_HEIGHT, CHART_MARGIN
    if not per_day:
        return "<p>No questions or votes in this period.</p>"
    top = max(1, *(d[key] for d in per_day for key, _, _ in SERIES))
    step = (width - 2 * margin) / max(1, len(per_day) - 1)

    def point(n: int, value: int) -> str:
        x = margin + n * step if len(per_day) > 1 else width / 2
        return f"{x:.1f},{height - margin - value / top * (height - 2 * margin):.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Questions and votes per day" width="100%">',
             f'<line x1="{margin}" y1="{height - margin}" x2="{width - margin}" y2="{height - margin}" stroke="#999"/>',
             f'<text x="4" y="{margin}" font-size="11">{top}</text>',
             f'<text x="4" y="{height - margin}" font-size="11">0</text>',
             f'<text x="{margin}" y="{height - 8}" font-size="11">{escape(per_day[0]["day"])}</text>',
             f'<text x="{width - margin}" y="{height - 8}" font-size="11" text-anchor="end">'
             f'{escape(per_day[-1]["day"])}</text>']
    for key, label, colour in SERIES:
        points = " ".join(point(n, d[key]) for n, d in enumerate(per_day))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}">'
                     f'<title>{escape(label)}</title></polyline>')
        parts.extend(f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="2.5" fill="{colour}">'
                     f'<title>{escape(d["day"])}: {d[key]} {escape(label.lower())}</title></circle>'
                     for p, d in zip(points.split(), per_day, strict=True))
    parts.append("</svg>")
    legend = " ".join(f'<span style="color:{colour}">■ {escape(label)}</span>' for _, label, colour in SERIES)
    return "\n".join(parts) + f"\n<p>{legend}</p>"


def _table(headers: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: dict[str, Any]) -> str:
    """One self-contained page: the same figures as the text report and a per-day chart."""
    feedback = report["feedback"]
    figures = [("Questions", report["questions"]),
               ("No good match", f"{report['no_match']} ({report['no_match_share']:.0%})"),
               ("Votes up", feedback["up"]), ("Votes down", feedback["down"]), ("Servers", report["servers"]),
               ("Influence lookups", report["influence_lookups"])]
    cards = "".join(f'<div class="card"><div class="n">{escape(str(v))}</div>{escape(k)}</div>' for k, v in figures)
    down = _table(("Question", "Down", "Up", "Reasons", "Passages"),
                  [(r["question"] or "(text not kept)", r["down"], r["up"], "; ".join(r["reasons"]),
                    ", ".join(r["passages"])) for r in report["down_voted"]])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pierpoint: questions and feedback</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 860px; margin: 2em auto; padding: 0 1em; color: #222; }}
h1 {{ color: #1f3a5f; }} .cards {{ display: flex; flex-wrap: wrap; gap: .8em; }}
.card {{ border: 1px solid #ddd; border-radius: 6px; padding: .6em 1em; min-width: 8em; }}
.n {{ font-size: 1.6em; font-weight: bold; color: #1f3a5f; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #eee; padding: .3em; text-align: left; }}
</style></head><body>
<h1>Pierpoint: questions and feedback</h1>
<p>The last {report['days']} days, since {escape(report['since'])}.</p>
<div class="cards">{cards}</div>
<h2>Questions and votes per day</h2>
{chart_svg(report['per_day'])}
<h2>Most-asked questions with no good match</h2>
{_table(("Question", "Times asked"), [(r["question"], r["count"]) for r in report["unanswered"]])}
<h2>Answers voted down</h2>
{down}
<h2>Reasons given</h2>
{_table(("Reason",), [(r,) for r in report["reasons"]])}
<h2>Passages shown most</h2>
{_table(("Passage", "Times shown"), [(r["passage"], r["count"]) for r in report["passages"]])}
<h2>Influences looked up most</h2>
{_table(("Influence", "Lookups"), [(r["influence"], r["count"]) for r in report["influences"]])}
</body></html>
"""
