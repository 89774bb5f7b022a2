"""`coach bench --only debrief`: the line labeller on the test split of the labelled mentor lines
(per-label precision, recall and F1, macro-F1, open-versus-closed accuracy, the confusion matrix),
and the debrief's time on scripted sessions (corpus/evals/debrief_sessions): scores without the
model, then the whole debrief with the model's checked rewrite."""

import statistics
import time
import tomllib

from coach import paths
from coach.coaching.labeller.dataset import load_lines, split
from coach.coaching.labeller.measure import measure
from coach.services import Services

DRILL_LINES = 100  # test-split lines checked one at a time, as a mentor drills them
TARGETS = {"macro_f1": 0.85, "open_closed_accuracy": 0.92, "f1:advice": 0.85, "f1:dismiss": 0.85, "f1:reflection": 0.85}


def labeller_figures(services: Services) -> dict:
    test = split(load_lines(), "test")
    predicted = services.classifier().label([line.text for line in test])
    figures = measure([line.labels for line in test], [p.behaviours for p in predicted])
    met = (figures.macro_f1 >= TARGETS["macro_f1"] and figures.open_closed_accuracy >= TARGETS["open_closed_accuracy"]
           and all(figures.f1(label) >= TARGETS[f"f1:{label}"] for label in ("advice", "dismiss", "reflection")))
    return {
        "labeller_test_lines": figures.lines,
        "labeller_macro_f1": figures.macro_f1,
        "labeller_open_closed_accuracy": figures.open_closed_accuracy,
        "labeller_per_label": {f.label: {"precision": f.precision, "recall": f.recall, "f1": f.f1, "support": f.support}
                               for f in figures.per_label},
        "labeller_confusion": figures.confusion,
        "labeller_meets_targets": met,
    } | drill_check_figures(services, [line.text for line in test])


def drill_check_figures(services: Services, lines: list[str]) -> dict:
    """A drill's check (part 9) against labelling the same line alone, line by line in the same
    process: the check must stay within 100 ms, and the labeller is nearly all of it."""
    from coach.coaching.progress.drill_check import DrillChecker
    from coach.coaching.progress.drills import DrillLine

    classifier = services.classifier()
    checker = DrillChecker(classifier)
    target = DrillLine(session_id="bench", skill="asked-open-questions", skill_name="Asked open questions",
                       text="You should talk to your manager.", wanted=["open_question"], aim="asks an open question")
    checks, labels = [], []
    for line in lines[:DRILL_LINES]:
        checks.append(checker.check(target, line).milliseconds)
        started = time.perf_counter()
        classifier.label([line])
        labels.append((time.perf_counter() - started) * 1000)
    return {"drill_check_ms_median": round(statistics.median(checks), 1),
            "drill_check_ms_p90": round(statistics.quantiles(checks, n=10)[-1], 1),
            "drill_check_vs_labelling_ratio": round(statistics.median(checks) / statistics.median(labels), 2)}


def debrief_figures(services: Services) -> tuple[dict, list[dict]]:
    sessions = _scripted_sessions(services)
    service = services.debrief_service()
    scoring, whole, shown = [], [], []
    for session_id, card, style in sessions:
        lines = service.transcript(session_id)
        started = time.perf_counter()
        service.score(session_id, card, lines)
        scoring.append(time.perf_counter() - started)
        started = time.perf_counter()
        debrief = service.debrief(session_id, card)
        whole.append(time.perf_counter() - started)
        shown.append({"style": style, "scenario": card.id, "debrief": debrief.model_dump(), "seconds": round(whole[-1], 1)})
    return {
        "debrief_sessions": len(sessions),
        "debrief_scoring_seconds_median": round(statistics.median(scoring), 3),
        "debrief_scoring_seconds_max": round(max(scoring), 3),
        "debrief_seconds_median": round(statistics.median(whole), 1),
        "debrief_seconds_max": round(max(whole), 1),
        "debrief_rewrites_from_model": sum(s["debrief"]["rewrite"] is not None and s["debrief"]["rewrite"]["source"] == "model" for s in shown),
        "debrief_rewrites_from_guidance": sum(s["debrief"]["rewrite"] is not None and s["debrief"]["rewrite"]["source"] == "guidance"
                                              for s in shown),
    }, shown


def _scripted_sessions(services: Services) -> list[tuple]:
    folder = paths.shipped_corpus_dir() / "evals" / "debrief_sessions"
    made = []
    for path in sorted(folder.glob("*.toml")):
        case = tomllib.loads(path.read_text(encoding="utf-8"))
        card = services.scenario(case["scenario"])
        session_id = services.session_store.create_session(card.id, "bench").id
        for speaker, text in case["turns"]:
            services.session_store.add_turn(session_id, speaker, text)
        made.append((session_id, card, case["style"]))
    return made


def print_labeller(out, figures: dict) -> None:
    """Per-label precision, recall and F1, then the confusion matrix (gold label → labels given)."""
    from rich.table import Table

    per_label = Table("label", "support", "precision", "recall", "F1", title="Line labeller, test split")
    for label, f in figures["labeller_per_label"].items():
        per_label.add_row(label, str(f["support"]), f"{f['precision']:.3f}", f"{f['recall']:.3f}", f"{f['f1']:.3f}")
    out.print(per_label)
    labels = list(figures["labeller_confusion"])
    confusion = Table("gold \\ given", *(label[:7] for label in labels), title="Confusion: lines with the gold label given each label")
    for gold, row in figures["labeller_confusion"].items():
        confusion.add_row(gold, *(str(row[label]) for label in labels))
    out.print(confusion)
