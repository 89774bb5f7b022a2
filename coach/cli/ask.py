"""How `coach ask` prints: the key guidance at once, the model's advice streamed as it is written,
then the cited sources (or one JSON object)."""

import json
import sys
from threading import Event
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from coach.cli.common import make_services, out
from coach.coaching.ask import AskResult
from coach.formats.display import display_safe

if TYPE_CHECKING:  # the services pull in the model and index libraries: only when a command runs
    from coach.services import Services

JSON_PASSAGE_KEYS = {"n", "doc_id", "title", "source", "text", "score"}
JSON_RESULT_KEYS = {"question", "answer", "grounded", "advice_withheld", "citations", "timings"}


def print_ask(services: "Services", question: str, as_json: bool, out: Console) -> None:
    ask = services.ask_service()
    stop = Event()
    plan = ask.plan(question)
    if plan.key_guidance and not as_json:
        out.print("From the trainers' guidance:")
        for sentence in plan.key_guidance:
            out.print(f"  “{sentence.text}” [{sentence.n}]")
        out.print("\nAdvice:")
    pieces: list[str] = []
    stream = ask.stream(plan, stop)
    try:
        for piece in stream:
            pieces.append(piece)
            if not as_json:
                sys.stdout.write(display_safe(piece))  # a model can emit escape codes too
                sys.stdout.flush()
    except KeyboardInterrupt:
        stop.set()  # Ctrl-C: the generator is closed at the next token
        stream.close()
        out.print("\n[stopped]")
        return
    _print_result(ask.result(plan, "".join(pieces)), as_json, out)


def _print_result(result: AskResult, as_json: bool, out: Console) -> None:
    if as_json:
        payload = result.model_dump(include=JSON_RESULT_KEYS)
        payload["key_guidance"] = [k.model_dump() for k in result.key_guidance]
        payload["passages"] = [p.model_dump(include=JSON_PASSAGE_KEYS) for p in result.passages]
        print(json.dumps(payload, indent=2, ensure_ascii=False))  # plain print: Rich would wrap lines
        return
    out.print()
    if result.citations:
        out.print("\nSources:")
        for c in result.citations:
            out.print(f"  [{c.n}] {c.title} — {c.source}")
    if result.removed_citations:
        out.print(f"({result.removed_citations} citation(s) to passages that were not given were removed)")


def ask(question: str, as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False) -> None:
    """Answer a mentoring question from the guidance corpus: the key guidance quoted first, then the
    model's advice citing passages as [1], [2]."""
    print_ask(make_services(), question, as_json, out)
