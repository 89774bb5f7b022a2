"""`coach bench` figures for practice: KV reuse per turn, the time-out return, the debrief, and the
mentee's behaviour under four mentor styles (practice_styles.py). Every time is paired with a
baseline from the same run."""

import statistics
import time

from coach import paths
from coach.bench.practice_styles import style_figures
from coach.coaching.practice.guard import OUT_OF_CHARACTER
from coach.errors import CorpusError
from coach.formats.toml_files import read_toml
from coach.services import Services

MIN_CONTEXT_TOKENS = 600


def load_scripts() -> dict[str, list[str]]:
    data = read_toml(paths.shipped_corpus_dir() / "evals" / "practice_scripts.toml", CorpusError)
    return {scenario: entry["lines"] for scenario, entry in data.items()}


def practice_figures(services: Services, sessions: int = 5) -> tuple[dict, list[dict]]:
    """Plays scripted sessions: `services` must hold a throwaway session store (run_bench's does)."""
    scripts = list(load_scripts().items())[:sessions]
    figures = _warm_and_cold(services, *scripts[0])
    played = [_play_and_debrief(services, scenario, lines) for scenario, lines in scripts]
    turns = [turn for session in played for turn in session["turns"]]
    debriefs = [session["debrief"] for session in played]
    figures |= {
        "mentee_turns": len(turns),
        # In character as the styles count it (guard.OUT_OF_CHARACTER); a repeat caught is in character.
        "scripted_in_character_first_try": round(sum(not OUT_OF_CHARACTER & set(t["problems"]) for t in turns)
                                                 / len(turns), 3),
        "scripted_passed_whole_first_try": round(sum(t["clean_first_try"] for t in turns) / len(turns), 3),
        "scripted_in_character_after_guard": round(sum(t["passes_guard"] for t in turns) / len(turns), 3),
        "debrief_seconds_median": round(statistics.median(d["seconds"] for d in debriefs), 1),
        "debrief_valid": f"{sum(d['valid'] for d in debriefs)}/{len(debriefs)}",
        "debrief_valid_first_try": f"{sum(d['valid_first_try'] for d in debriefs)}/{len(debriefs)}",
        "debrief_with_rewrite": f"{sum(d['has_rewrite'] for d in debriefs)}/{len(debriefs)}",
        "mentee_fallback_lines": sum(t["fallback"] for t in turns),
    }
    styles, styled = style_figures(services)
    return figures | styles, played + styled


def _warm_and_cold(services: Services, scenario: str, lines: list[str]) -> dict:
    """Play until the prompt holds ≥600 tokens, then pair each measured turn with a cold baseline."""
    engine = services.practice_engine(scenario)
    backend = services.backend()
    engine.start()
    engine.warm_up()
    warm_evaluated, warm_new, previous = [], [], None
    for line in _cycle(lines):
        reply = engine.mentor_says(line)
        if previous is not None:
            warm_evaluated.append(reply.evaluated_prompt_tokens)
            warm_new.append(reply.prompt_tokens - previous)
        previous = reply.prompt_tokens
        if reply.prompt_tokens >= MIN_CONTEXT_TOKENS:
            break
    reply = engine.mentor_says("Tell me more about that.")
    warm_ttft, context, first_words = reply.first_token_seconds, reply.prompt_tokens, reply.first_shown_seconds
    cold_ttft = _cold_ttft(backend, engine.messages()[:-1])
    engine.time_out(services.ask_service(), "How do I respond when my mentee goes quiet?")
    back = engine.mentor_says("What happened next?")
    return_ttft, return_tokens = back.first_token_seconds, back.evaluated_prompt_tokens
    full_ttft = _cold_ttft(backend, engine.messages()[:-1])
    return {
        "practice_context_tokens": context,
        "practice_warm_ttft_seconds": round(warm_ttft, 2), "practice_cold_ttft_seconds": round(cold_ttft, 2),
        "practice_warm_over_cold": round(warm_ttft / cold_ttft, 3),
        "practice_warm_first_words_seconds": round(first_words, 2),
        "tokens_evaluated_per_warm_turn": statistics.median(warm_evaluated),
        "new_tokens_per_warm_turn": statistics.median(warm_new),
        "timeout_restore_seconds": round(engine.last_restore_seconds, 3),
        "timeout_return_evaluated_tokens": return_tokens,
        "timeout_return_seconds": round(engine.last_restore_seconds + return_ttft, 2),
        "full_reevaluation_seconds": round(full_ttft, 2),
        "timeout_return_over_full": round((engine.last_restore_seconds + return_ttft) / full_ttft, 3),
    }


def _cycle(lines: list[str]):
    while True:
        yield from lines


def _cold_ttft(backend, messages) -> float:
    """First-token time for `messages` with nothing cached: the baseline a warm turn is compared to."""
    backend.forget_cache()
    reply = backend.stream(messages, 1)
    reply.text()
    return reply.stats.first_token_seconds


def _play_and_debrief(services: Services, scenario: str, lines: list[str]) -> dict:
    engine = services.practice_engine(scenario)
    engine.start()
    turns = []
    for line in lines:
        reply = engine.mentor_says(line)
        turns.append({"mentor": line, "mentee": reply.turn.text, "retries": reply.retries,
                      "problems": reply.problems, "clean_first_try": reply.clean_first_try,
                      "passes_guard": engine.guard.check(reply.turn.text).ok,
                      "fallback": reply.turn.text in engine.speaker.fallbacks})
    started = time.perf_counter()
    debrief = services.debrief_service().debrief(engine.session_id, engine.scenario)
    seconds = time.perf_counter() - started
    return {"scenario": scenario, "turns": turns, "debrief": {"seconds": seconds, **_written(debrief),
                                                              "scores": {s.skill: s.score for s in debrief.scores}}}


def _written(debrief) -> dict:
    """What the model wrote: a narrative before part 6's debrief, points and a rewrite after it."""
    narrative = getattr(debrief, "narrative", None)
    if narrative is None and hasattr(debrief, "rewrite"):
        dumped = debrief.model_dump(include={"strengths", "tries", "rewrite"})
        return {"valid": True, "valid_first_try": True, "has_rewrite": debrief.rewrite is not None, "narrative": dumped}
    return {"valid": narrative is not None,
            "valid_first_try": narrative is not None and getattr(debrief, "writing_attempts", 1) == 1,
            "has_rewrite": bool(narrative and narrative.rewrite),
            "narrative": narrative.model_dump() if narrative else None}

