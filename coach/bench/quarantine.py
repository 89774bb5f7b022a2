"""`coach bench` figures for quarantine (issue 9): recall on held-out injection sentences and false
alarms on held-out clean sentences and whole notes, measured through the same `scan` sync uses."""

import time

from coach import paths
from coach.retrieval.injection_measure import measure_quarantine
from coach.services import Services

SHOWN_MISSES = 3  # enough to see what kind of wording slips through without flooding the table


def quarantine_figures(services: Services) -> dict:
    started = time.perf_counter()
    figures = measure_quarantine(services.embedder, paths.shipped_corpus_dir())
    return {
        "quarantine_recall": round(figures.recall, 3),
        "quarantine_injection_examples": figures.injection_examples,
        "quarantine_sentence_false_alarm_rate": round(figures.sentence_false_alarm_rate, 3),
        "quarantine_clean_sentences": figures.clean_sentences,
        "quarantine_note_false_alarm_rate": round(figures.note_false_alarm_rate, 3),
        "quarantine_notes": figures.notes,
        "quarantine_meets_targets": figures.meets_targets,
        "quarantine_missed_sample": figures.missed[:SHOWN_MISSES],
        "quarantine_false_alarms": figures.false_alarms,
        "quarantine_seconds": round(time.perf_counter() - started, 1),
    }
