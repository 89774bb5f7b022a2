"""A debrief as Markdown: the scores with the mentor's own words, then the write-up and guidance.
Used by `coach practice`, the session export and the Debrief screen's copy."""


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
    """The model's write-up, the concern the mentee held back, and the cited guidance."""
    lines = _narrative_lines(debrief)
    surfaced = "came out" if debrief.get("concern_surfaced") else "did not come out"
    lines += ["", "### What the mentee had not said", "", f"{debrief['hidden_concern']} (It {surfaced} in this session.)"]
    lines += ["", "### Guidance", ""]
    lines += [f"- {g['title']} ({g['source']}): {' '.join(g['text'].split())}" for g in debrief["guidance"]]
    return lines


def _why(score: dict) -> str:
    return "; ".join(f"{h['says']} ({h['points']:+d})" for h in score["hits"]) or "no signal"


def _narrative_lines(debrief: dict) -> list[str]:
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
