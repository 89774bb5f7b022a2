"""How well quarantine works, measured end to end through `scan` (phrase patterns and classifier):
recall on the held-out injection sentences, false alarms on held-out clean sentences, and false
alarms on whole notes (the shipped corpus, 200 clean notes assembled for this, and the held-out half
of the clean notes written for it; the other half only places the threshold)."""

from pathlib import Path

from pydantic import BaseModel, Field

from coach.errors import CorpusError
from coach.retrieval.documents import find_documents, load_document
from coach.retrieval.injection_classifier import SentenceEmbedder
from coach.retrieval.injection_dataset import Example, load_clean_notes, load_examples, written_notes
from coach.retrieval.quarantine import scan

TARGET_RECALL = 0.95
TARGET_NOTE_FALSE_ALARMS = 0.01


class QuarantineFigures(BaseModel):
    injection_examples: int  # held-out injection sentences
    recall: float  # share of them quarantined
    missed: list[str] = Field(default_factory=list)
    clean_sentences: int  # held-out clean sentences
    sentence_false_alarm_rate: float
    notes: int  # shipped notes plus the clean notes
    note_false_alarm_rate: float
    false_alarms: list[str] = Field(default_factory=list)  # note ids quarantined wrongly, with the reason

    @property
    def meets_targets(self) -> bool:
        return self.recall >= TARGET_RECALL and self.note_false_alarm_rate <= TARGET_NOTE_FALSE_ALARMS


def measure_quarantine(embedder: SentenceEmbedder, repo_corpus_dir: Path) -> QuarantineFigures:
    """repo_corpus_dir is the repository's corpus/ folder (guidance/ and evals/injection/ inside)."""
    data_dir = repo_corpus_dir / "evals" / "injection"
    test = load_examples(data_dir / "test.jsonl")
    caught = {e.text: bool(scan(e.text, e.text, embedder)) for e in test}
    injections = [e for e in test if e.injection]
    clean = [e for e in test if not e.injection]
    notes = _note_flags(embedder, repo_corpus_dir / "guidance", data_dir / "clean_notes.jsonl")
    return QuarantineFigures(
        injection_examples=len(injections), recall=_share(injections, caught),
        missed=[e.text for e in injections if not caught[e.text]],
        clean_sentences=len(clean), sentence_false_alarm_rate=_share(clean, caught),
        notes=len(notes), note_false_alarm_rate=sum(bool(r) for r in notes.values()) / max(len(notes), 1),
        false_alarms=[f"{note}: {reason}" for note, reason in notes.items() if reason],
    )


def _share(examples: list[Example], caught: dict[str, bool]) -> float:
    return sum(caught[e.text] for e in examples) / max(len(examples), 1)


def _note_flags(embedder: SentenceEmbedder, guidance_dir: Path, clean_notes: Path) -> dict[str, str]:
    """Each note's id and its first quarantine reason ("" when it passes)."""
    found = {}
    for path in find_documents(guidance_dir):
        try:
            flags = load_document(path, root=guidance_dir, embedder=embedder).flags
        except CorpusError as error:
            found[path.name] = f"unreadable: {error}"
            continue
        found[path.name] = flags[0].reason + f" (“{flags[0].snippet}”)" if flags else ""
    held_out = [(note.note_id, note.text) for note in load_clean_notes(clean_notes)]
    held_out += [(path.name, path.read_text(encoding="utf-8")) for path in written_notes(clean_notes.parent)[1]]
    for note_id, text in held_out:
        flags = scan(text, text, embedder)
        found[note_id] = flags[0].reason + f" (“{flags[0].snippet}”)" if flags else ""
    return found
