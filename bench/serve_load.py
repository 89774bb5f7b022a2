"""Load on the team set-up, measured: N simulated mentors, each playing a scripted practice session
at once, against one llama-cpp-python server with the tiny model and one Chroma server, both on
loopback. Reports turns per minute, p50/p95 time to first token and errors at each N.

    .venv/bin/python bench/serve_load.py [--mentors 1,4,8] [--seconds 120] [--turns 3]

Bounded in time (a mentor starts no turn after --seconds) and count (--turns per mentor). The
mentors run as threads of this process and embed on this machine, as each mentor's coach would on
their own; on one 2-core box they compete with the server for the cores, so read the figures as a
floor for this machine, not as the server's capacity.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coach import paths  # noqa: E402
from coach.assets.catalog import find_entry  # noqa: E402
from coach.config import Settings  # noqa: E402
from coach.services import build_services  # noqa: E402
from tests.servers import chroma_server, model_server  # noqa: E402

NOTES = ("favouritism-perceptions", "colleagues-left-out", "meeting-cadence", "the-first-conversation")
SCRIPT = ["Thanks for coming. What has been on your mind?", "That sounds hard. How does it feel for you?",
          "What have you noticed about how people react?", "What would help you right now?"]


def corpus(root: Path) -> Path:
    (root / "guidance").mkdir(parents=True)
    for doc_id in NOTES:
        shutil.copy(REPO / "corpus" / "guidance" / f"{doc_id}.md", root / "guidance")
    shutil.copytree(REPO / "corpus" / "scenarios", root / "scenarios")
    return root


def mentor(settings: Settings, embedder, turns: int, deadline: float, stop: threading.Event, results: list,
           errors: list) -> None:
    services = build_services(settings)
    services.__dict__["embedder"] = embedder  # one MiniLM for the whole bench, not one per thread
    try:
        engine = services.practice_engine("favourite-worry")
        engine.max_tokens = 48
        engine.start()
        for line in SCRIPT[:turns]:
            if time.monotonic() >= deadline:
                return
            reply = engine.mentor_says(line, stop)
            if reply is not None:  # 0.0: the model sent nothing and the guard's last-resort line was shown
                results.append(reply.first_token_seconds)
    except Exception as error:  # counted, not raised: the bench reports errors
        errors.append(str(error))


def run(n: int, base: Settings, embedder, seconds: float, turns: int, scratch: Path) -> dict:
    results, errors, threads, stop = [], [], [], threading.Event()
    started = time.monotonic()
    # No turn starts after `seconds`; one still streaming at 1.5 x `seconds` is stopped (not counted).
    timer = threading.Timer(1.5 * seconds, stop.set)
    timer.daemon = True
    timer.start()
    for k in range(n):
        settings = base.model_copy(update={"data_dir": scratch / f"n{n}-mentor{k}"})
        threads.append(threading.Thread(target=mentor, args=(settings, embedder, turns, started + seconds, stop, results, errors)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    stop.set()
    ordered = sorted(r for r in results if r > 0)
    return {"mentors": n, "turns": len(results), "minutes": round(elapsed / 60, 2),
            "turns_per_minute": round(len(results) / (elapsed / 60), 2),
            "ttft_p50": round(statistics.median(ordered), 2) if ordered else None,
            "ttft_p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2) if ordered else None,
            "empty": sum(1 for r in results if r <= 0), "errors": len(errors), "first_error": errors[0] if errors else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", default="1,4,8")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--turns", type=int, default=3)
    args = parser.parse_args()
    models = paths.default_models_dir()
    tiny = find_entry("smollm2-135m").folder(models) / find_entry("smollm2-135m").files[0].name
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        with model_server(scratch, tiny) as llm, chroma_server(scratch) as chroma:
            # A turn queued behind the others longer than the bound counts as an error (a timeout).
            base = Settings(model_url=llm.url, model_name="smollm2-135m", index_url=chroma.url, n_ctx=2048,
                            server_timeout=args.seconds,
                            top_k=1, models_dir=models, corpus_dir=corpus(scratch / "corpus"), data_dir=scratch / "sync")
            trainer = build_services(base)
            trainer.corpus().sync()
            print("| mentors | turns | minutes | turns/min | TTFT p50 s | TTFT p95 s | empty replies | errors |")
            print("|---|---|---|---|---|---|---|---|")
            for n in (int(x) for x in args.mentors.split(",")):
                row = run(n, base, trainer.embedder, args.seconds, args.turns, scratch)
                print(f"| {row['mentors']} | {row['turns']} | {row['minutes']} | {row['turns_per_minute']} | "
                      f"{row['ttft_p50']} | {row['ttft_p95']} | {row['empty']} | {row['errors']} |", flush=True)
                if row["first_error"]:
                    print(f"  first error: {row['first_error']}", flush=True)


if __name__ == "__main__":
    main()
