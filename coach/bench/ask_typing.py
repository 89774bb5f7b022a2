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
    results, keystrokes = asyncio.run(_type_questions(services, questions))
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


async def _type_questions(services: Services, questions: list[str]) -> tuple[list, list[float]]:
    from coach.ui.app import CoachApp

    app = CoachApp(services)
    results, keystrokes = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()  # the model loads and reads the system prompt
        await pilot.pause()
        await pilot.click("#question")
        for question in questions:
            keystrokes += await _type(pilot, question)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            results.append(app.screen.last_result)
    return results, keystrokes


async def _type(pilot, text: str) -> list[float]:
    """Type at a steady pace; each press is timed until the screen has been redrawn."""
    latencies = []
    due = time.perf_counter()
    for character in text:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        started = time.perf_counter()
        await pilot.press(character)
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
