"""`coach bench` figures for the mentee: every scenario played by four scripted mentor styles
(corpus/evals/practice_styles.toml) plus an adversarial one. Premature reveals, the listener's
reveal rate, staying in character, repeated sentences, runs of bare compliance and the time to the
first shown words are all counted from the same runs."""

import statistics

from coach import paths
from coach.coaching.practice.engine import PracticeEngine
from coach.coaching.practice.guard import OUT_OF_CHARACTER, GuardContext, is_compliance
from coach.coaching.practice.probes import probe_of
from coach.coaching.practice.reveal import says_concern
from coach.coaching.practice.sentences import normal_form, split_sentences
from coach.errors import CorpusError
from coach.formats.toml_files import read_toml
from coach.services import Services

NON_LISTENERS = ("fixer", "interrogator", "dismissive")
REVEAL_WITHIN = 6  # mentor lines


def load_styles() -> dict[str, list[str]]:
    data = read_toml(paths.shipped_corpus_dir() / "evals" / "practice_styles.toml", CorpusError)
    return {style: entry["lines"] for style, entry in data.items()}


def style_figures(services: Services, scenario_ids: list[str] | None = None) -> tuple[dict, list[dict]]:
    styles = load_styles()
    ids = scenario_ids or [s.id for s in services.scenarios()]
    played = [play_style(services.practice_engine(sid), style, lines) for sid in ids for style, lines in styles.items()]
    return summarise(played), played


def play_style(engine: PracticeEngine, style: str, lines: list[str]) -> dict:
    engine.start()
    engine.warm_up()
    turns = []
    for line in lines:
        context = _context_before(engine, line)
        reply = engine.mentor_says(line)
        text = reply.turn.text
        turns.append({
            "mentor": line, "mentee": text, "retries": reply.retries, "problems": reply.problems,
            "rejected": reply.rejected,
            "clean_first_try": reply.clean_first_try, "first_shown_seconds": round(reply.first_shown_seconds, 2),
            "opener": reply.opener,
            "evaluated_prompt_tokens": reply.evaluated_prompt_tokens, "prompt_tokens": reply.prompt_tokens,
            "passes_guard": text in engine.speaker.fallbacks or engine.guard.check(text, context).ok,
            "fallback": text in engine.speaker.fallbacks, "concern_sent": _concern_sent(engine),
            # Giving in to advice before being heard; "Yes." to "Is it your manager?" is an answer.
            "complied": engine.state.reaction == "advised_early" and engine.guard.complies(text, line),
            "concern_told": engine.state.concern_told, "disclosure": engine.state.disclosure})
    return {"scenario": engine.scenario.id, "style": style, "opening": engine.scenario.mentee.opening_line,
            "turns": turns, "revealed_after": _revealed_after(engine, turns)}


def _context_before(engine: PracticeEngine, line: str) -> GuardContext:
    """What the reply to `line` is checked against, built before the reply exists."""
    said = {normal_form(s) for t in engine.transcript() if t.speaker == "mentee" for s in split_sentences(t.text)}
    return GuardContext(mentor_line=line, probe=probe_of(line), said=frozenset(said))


def _concern_sent(engine: PracticeEngine) -> bool:
    concern = engine.scenario.hidden.concern
    return any(concern in message.content for message in engine.messages())


def _revealed_after(engine: PracticeEngine, turns: list[dict]) -> int | None:
    """The mentor line after which a reply first told the concern (coaching.practice.reveal)."""
    return next((n for n, turn in enumerate(turns, start=1)
                 if says_concern(turn["mentee"], engine.scenario, engine.classifier.embed)), None)


def summarise(played: list[dict]) -> dict:
    turns = [turn for session in played for turn in session["turns"]]
    listeners = [s for s in played if s["style"] == "listener"]
    others = [s for s in played if s["style"] in NON_LISTENERS]
    said = [_sentences(s) for s in played]
    warm = [t["first_shown_seconds"] for s in played for t in s["turns"][1:]]
    # An opener that is a whole sentence ("Oh. Okay.") is on screen before the model has read the
    # line; the turns the model began itself show how soon its own first sentence appears.
    model_begun = [t["first_shown_seconds"] for s in played for t in s["turns"][1:] if not t.get("opener")]
    return {
        "mentee_style_sessions": len(played), "mentee_style_turns": len(turns),
        "premature_reveals": sum(s["revealed_after"] is not None for s in others),
        "concern_in_prompt_before_follow_up": sum(t["concern_sent"] and not t["concern_told"]
                                                  for s in played for t in s["turns"]),
        "listener_reveal_rate": _ratio(sum(s["revealed_after"] is not None and s["revealed_after"] <= REVEAL_WITHIN
                                           for s in listeners), len(listeners)),
        "in_character_first_try": _ratio(sum(not OUT_OF_CHARACTER & set(t["problems"]) for t in turns), len(turns)),
        "passed_whole_first_try": _ratio(sum(t["clean_first_try"] for t in turns), len(turns)),
        "in_character_first_try_by_style": _in_character_by_style(played),
        "turns_with_a_repeat_caught": sum("repeated an earlier sentence" in t["problems"] for t in turns),
        "turns_with_agreement_caught": sum("simply agreed to early advice" in t["problems"] for t in turns),
        "in_character_after_guard": _ratio(sum(t["passes_guard"] for t in turns), len(turns)),
        "mentee_fallback_lines_styles": sum(t["fallback"] for t in turns),
        "distinct_sentences": _ratio(sum(len(set(s)) for s in said), sum(len(s) for s in said)),
        "compliance_runs": sum(_has_compliance_run(s) for s in played),
        "first_words_warm_median_seconds": round(statistics.median(warm), 2) if warm else 0.0,
        "first_words_warm_p90_seconds": round(_p90(warm), 2) if warm else 0.0,
        "first_words_warm_model_begun_median_seconds": round(statistics.median(model_begun), 2) if model_begun else 0.0,
        "first_words_warm_model_begun_p90_seconds": round(_p90(model_begun), 2) if model_begun else 0.0,
    }


def _in_character_by_style(played: list[dict]) -> dict[str, float]:
    """Where the first tries go out of character: one style's lines can hide behind the others'."""
    by_style: dict[str, list[dict]] = {}
    for session in played:
        by_style.setdefault(session["style"], []).extend(session["turns"])
    return {style: _ratio(sum(not OUT_OF_CHARACTER & set(t["problems"]) for t in turns), len(turns))
            for style, turns in by_style.items()}


def _sentences(session: dict) -> list[str]:
    texts = [session["opening"], *(t["mentee"] for t in session["turns"])]
    return [normal_form(s) for text in texts for s in split_sentences(text) if normal_form(s)]


def _has_compliance_run(session: dict, run: int = 2) -> bool:
    """Two replies in a row that only agree ("I'll do that.", "Yes, it does.") or say the order back."""
    streak = 0
    for turn in session["turns"]:
        streak = streak + 1 if turn.get("complied", is_compliance(turn["mentee"])) else 0
        if streak >= run:
            return True
    return False


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
