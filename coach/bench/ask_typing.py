"""Ask as a mentor meets it, for `coach bench`: the real app, each golden question typed at 5
characters a second while the model reads ahead, then Enter and the whole answer. Reports the
first model token after Enter (against the cold first token from the same run), how often the
passages read ahead were the final ones, keystroke-to-screen latency while the model reads, and
the answers' citations and copying."""

import asyncio
import json
import statistics
import time

from coach.coaching.copying import copied_share
from coach.retrieval.evaluation import load_questions
from coach.services import Services

CHARS_PER_SECOND = 5
# Every third golden question: typing and a whole answer take about half a minute each on 2 cores.
EVERY_NTH_QUESTION = 3


def typing_figures(services: Services, cold_first_token: float, limit: int | None = None) -> dict:
    """The figures; the answers themselves go to DATA_DIR/bench-ask-answers.json."""
    questions = [q.q for q in load_questions(services.workspace.questions_file)][::EVERY_NTH_QUESTION][:limit]
    results, keystrokes, reading = asyncio.run(_type_questions(services, questions))
    grounded = [r for r in results if r.grounded]
    first_tokens = sorted(r.timings["first_token_after_question_seconds"] for r in grounded)
    median = statistics.median(first_tokens)
    figures = {
        "typed_questions": len(results),
        "typed_first_token_median_seconds": round(median, 2),
        "typed_first_token_p90_seconds": round(_percentile(first_tokens, 0.9), 2),
        "typed_first_token_over_cold": round(median / cold_first_token, 3),
        "typed_prefilled_share": round(sum(r.timings.get("prefilled", 0) for r in grounded) / len(grounded), 3),
        "typed_evaluated_after_enter_median": statistics.median(r.timings["evaluated_prompt_tokens"] for r in grounded),
        "typed_prompt_tokens_median": statistics.median(r.timings["prompt_tokens"] for r in grounded),
        "typed_read_aheads_started": reading["started"],
        "typed_read_aheads_completed": reading["completed"],
        "keystroke_ms_p50": round(statistics.median(keystrokes) * 1000, 1),
        "keystroke_ms_p95": round(_percentile(sorted(keystrokes), 0.95) * 1000, 1),
        "key_guidance_ms_median": round(statistics.median(r.timings["key_guidance_seconds"] for r in grounded) * 1000, 1),
        "answers_citing_share": round(sum(not r.advice_withheld for r in grounded) / len(grounded), 3),
        "answers_copied_sentence_share": round(statistics.fmean(
            [copied_share(r.answer, [p.text for p in r.passages]) for r in grounded if not r.advice_withheld] or [0.0]), 3),
    }
    answers_file = services.settings.data_dir / "bench-ask-answers.json"
    answers_file.write_text(json.dumps([_shown(r) for r in results], indent=2, ensure_ascii=False))
    return figures | {"typed_answers_file": str(answers_file)}


async def _type_questions(services: Services, questions: list[str]) -> tuple[list, list[float], dict]:
    """Through the app's own Ask screen, so the bench reads ahead exactly as the app does."""
    from coach.ui.app import CoachApp

    app = CoachApp(services)
    results, keystrokes = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()  # the model loads and reads the system prompt
        await pilot.pause()
        await pilot.click("#question")
        for question in questions:
            keystrokes += await _type(app, question)
            await asyncio.sleep(1 / CHARS_PER_SECOND)  # Enter is one more key at the same pace
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            results.append(app.screen.last_result)
        type_ahead = app.screen.reading_ahead.type_ahead
    return results, keystrokes, {"started": type_ahead.started, "completed": type_ahead.completed}


async def _type(app, text: str) -> list[float]:
    """Type at a steady pace, each key sent as the terminal sends it, and timed until the box holds
    it. (Pilot's press() waits for the whole process to go idle, up to 2 s a key while the model
    reads ahead: it slowed the typing to a key every 2 s and timed that wait, not the screen.)"""
    from textual import events
    from textual.keys import _character_to_key

    box = app.screen.query_one("#question")
    latencies = []
    due = time.perf_counter()
    for character in text:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        started, expected = time.perf_counter(), box.value + character
        key = events.Key(character if character.isalnum() else _character_to_key(character), character)
        key.set_sender(app)
        app._driver.send_message(key)
        while box.value != expected:
            await asyncio.sleep(0.001)
        latencies.append(time.perf_counter() - started)
        due += 1 / CHARS_PER_SECOND
    return latencies


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _shown(result) -> dict:
    """One answer as the mentor saw it, for the bench's JSON file and docs."""
    return {"question": result.question, "key_guidance": [k.model_dump() for k in result.key_guidance],
            "answer": result.answer, "advice_withheld": result.advice_withheld,
            "passages": [p.doc_id for p in result.passages], "timings": result.timings}
