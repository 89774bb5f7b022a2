"""A debrief as Markdown: the scores with the mentor's own words, then the write-up and guidance.
Used by `coach practice`, the session export and the Debrief screen. Reads saved debriefs of every
version: before part 6 the write-up was the model's "narrative"."""


def debrief_markdown(debrief: dict) -> list[str]:
    return scores_markdown(debrief) + narrative_markdown(debrief)


def scores_markdown(debrief: dict) -> list[str]:
    """The part of a debrief that needs no model: scores, why, and the mentor's own words."""
    total = sum(s["score"] for s in debrief["scores"])
    best = sum(s["max_score"] for s in debrief["scores"])
    lines = ["## Debrief", "", f"Total: {total}/{best}.", "", "| skill | score | why |", "|---|---|---|"]
    lines += [f"| {s['name']} | {s['score']}/{s['max_score']} | {_why(s)} |" for s in debrief["scores"]]
    lines += ["", "### Your words", ""]
    lines += [f"- {hit['says']} ({hit['points']:+d}): \"{e['text']}\" (line {e['line']})"
              for s in debrief["scores"] for hit in s["hits"] for e in hit["evidence"]]
    return lines


def narrative_markdown(debrief: dict) -> list[str]:
    """The write-up, the concern the mentee held back, and the cited guidance."""
    lines = write_up_lines(debrief)
    surfaced = "came out" if debrief.get("concern_surfaced") else "did not come out"
    lines += ["", "### What the mentee had not said", "", f"{debrief['hidden_concern']} (It {surfaced} in this session.)"]
    lines += ["", "### Guidance", ""]
    lines += [f"- {g['title']} ({g['source']}): {' '.join(g['text'].split())}" for g in debrief["guidance"]]
    return lines


def write_up_lines(debrief: dict) -> list[str]:
    if debrief.get("legacy_write_up"):
        return _legacy_narrative(debrief["legacy_write_up"])
    if "narrative" in debrief and "strengths" not in debrief:
        return _legacy_narrative(debrief)
    lines = ["", "### Strengths", ""] + ([_point(p) for p in debrief.get("strengths", [])] or ["- None this time."])
    lines += ["", "### Try next time", ""] + ([_point(p) for p in debrief.get("tries", [])] or ["- Nothing: full marks."])
    rewrite = debrief.get("rewrite")
    if not rewrite:
        note = debrief.get("rewrite_note")
        return lines + (["", f"_{note}_"] if note else [])
    origin = ("drafted by the model and checked by the labeller" if rewrite["source"] == "model"
              else f"from the guidance: {rewrite['guidance_title']}")
    return lines + ["", "### A rewrite", "", f"Instead of \"{rewrite['original']}\" (line {rewrite['line']}), you could say:",
                    "", f"> {rewrite['text']}", "", f"_({origin})_"]


def _point(point: dict) -> str:
    where = f" Line {point['line']}: \"{point['quote']}\"" if point.get("line") else ""
    return f"- {point['point']}{where}"


def _why(score: dict) -> str:
    return "; ".join(f"{h['says']} ({h['points']:+d})" for h in score["hits"]) or "no signal"


def _legacy_narrative(debrief: dict) -> list[str]:
    narrative = debrief.get("narrative")
    if not narrative:
        return ["", f"_{debrief.get('narrative_note') or 'No write-up.'}_"]
    lines = ["", "### Strengths", ""] + [f"- {p['point']} (line {p['line']})" for p in narrative["strengths"]]
    lines += ["", "### Try next time", ""] + [f"- {p['point']} (line {p['line']})" for p in narrative["tries"]]
    weakest = debrief.get("weakest") or {}
    if not narrative.get("rewrite"):
        return lines + ["", f"_{debrief.get('narrative_note', '')}_"]
    return lines + ["", "### A rewrite", "", f"Instead of \"{weakest.get('text', '')}\", you could say:", "",
                    f"> {narrative['rewrite']}"]
