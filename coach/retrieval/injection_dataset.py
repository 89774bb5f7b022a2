"""The labelled sentences and clean notes the injection classifier is trained and measured on, built
from the hand-written pools in corpus/evals/injection/sources with a fixed seed.

Run `python -m coach.retrieval.injection_dataset` to rebuild train.jsonl, test.jsonl and
clean_notes.jsonl after editing a pool."""

import json
import random
from pathlib import Path

from pydantic import BaseModel

DATA_DIR = Path(__file__).resolve().parents[2] / "corpus" / "evals" / "injection"
SEED = 9  # issue 9; fixed so the held-out split never moves under the classifier
TEST_SHARE = 0.25
PAIRINGS_PER_DEMAND = 5
NOTE_COUNT = 200


class Example(BaseModel):
    text: str
    injection: bool
    group: str  # examples sharing a group (one demand and its pairings) stay on one side of the split


class CleanNote(BaseModel):
    note_id: str
    text: str  # Markdown


def load_examples(path: Path) -> list[Example]:
    return [Example.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def load_clean_notes(path: Path) -> list[CleanNote]:
    return [CleanNote.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def read_pool(path: Path) -> list[str]:
    """Non-empty lines of a source file, less comments ("# ", so a "## " heading is kept)."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("# ")]


def all_examples(sources: Path, rng: random.Random) -> list[Example]:
    """Hand-written sentences of both kinds, plus each demand paired with several openings."""
    examples = [Example(text=t, injection=True, group=f"i{n}")
                for n, t in enumerate(read_pool(sources / "injection_sentences.txt"))]
    examples += [Example(text=t, injection=False, group=f"c{n}")
                 for n, t in enumerate(read_pool(sources / "clean_sentences.txt"))]
    openings = read_pool(sources / "injection_addressees.txt")
    for n, demand in enumerate(read_pool(sources / "injection_demands.txt")):
        examples += [Example(text=f"{opening} {demand}", injection=True, group=f"d{n}")
                     for opening in rng.sample(openings, PAIRINGS_PER_DEMAND)]
    return examples


def grouped_pool(path: Path, kind: str) -> list[tuple[str, str]]:
    """(header, sentence) pairs from a pool written under "# topic: …" or "# style: …" headers."""
    pairs, header = [], ""
    for line in (line.strip() for line in path.read_text(encoding="utf-8").splitlines()):
        if line.startswith(f"# {kind}:"):
            header = line.split(":", 1)[1].strip()
        elif line and not line.startswith("# "):
            pairs.append((header, line))
    return pairs


def more_examples(sources: Path) -> list[Example]:
    """The second, larger pools. Clean sentences are grouped by topic, so whole topics are held out
    (false alarms are measured on subjects the model never saw); injections stand alone."""
    return _pools(sources / "clean_more.txt", sources / "injection_more.txt", "topic:", "m")


def training_only_examples(data_dir: Path = DATA_DIR) -> list[Example]:
    """Pools written after the split for training alone (training_only/): more injection styles and
    clean guidance worded close to them. They never reach test.jsonl, so adding to them leaves the
    held-out measurement as it was."""
    folder = data_dir / "training_only"
    return _pools(folder / "clean_sentences.txt", folder / "injection_sentences.txt", "extra-topic:", "extra-i")


def _pools(clean: Path, injections: Path, topic_group: str, injection_group: str) -> list[Example]:
    """Clean sentences grouped by their topic header, each injection a group of its own."""
    examples = [Example(text=t, injection=False, group=f"{topic_group}{topic}")
                for topic, t in grouped_pool(clean, "topic")]
    examples += [Example(text=t, injection=True, group=f"{injection_group}{n}")
                 for n, (_, t) in enumerate(grouped_pool(injections, "style"))]
    return examples


def training_examples(data_dir: Path = DATA_DIR) -> list[Example]:
    """Everything the classifier learns from: train.jsonl and the training-only pools."""
    return load_examples(data_dir / "train.jsonl") + training_only_examples(data_dir)


def split(examples: list[Example], rng: random.Random) -> tuple[list[Example], list[Example]]:
    """A held-out share of whole groups, so no test sentence has a near twin in training."""
    groups = sorted({e.group for e in examples})
    held_out = set(rng.sample(groups, round(len(groups) * TEST_SHARE)))
    return [e for e in examples if e.group not in held_out], [e for e in examples if e.group in held_out]


def read_topics(path: Path) -> list[dict]:
    """Topics as {"titles": [...], "sections": [(heading, [sentences])]} from note_topics.txt."""
    topics: list[dict] = []
    for line in read_pool(path):
        if line.startswith("= "):
            topics.append({"titles": line[2:].split(" | "), "sections": []})
        elif line.startswith("## "):
            topics[-1]["sections"].append((line[3:], []))
        else:
            topics[-1]["sections"][-1][1].append(line)
    return topics


def compose_note(topic: dict, rng: random.Random) -> str:
    """A few paragraphs in the shipped notes' shape: a title, two or three sections, an
    occasional bulleted list, sentences kept in their written order."""
    sections = sorted(rng.sample(range(len(topic["sections"])), rng.randint(2, len(topic["sections"]))))
    parts = [f"# {rng.choice(topic['titles'])}"]
    for index in sections:
        heading, sentences = topic["sections"][index]
        chosen = [sentences[i] for i in sorted(rng.sample(range(len(sentences)), rng.randint(3, len(sentences))))]
        body = "\n".join(f"- {s}" for s in chosen) if rng.random() < 0.25 else " ".join(chosen)
        parts += [f"## {heading}", body]
    return "\n\n".join(parts) + "\n"


def clean_notes(sources: Path, rng: random.Random) -> list[CleanNote]:
    topics = read_topics(sources / "note_topics.txt")
    return [CleanNote(note_id=f"clean-{n:03d}", text=compose_note(topics[n % len(topics)], rng))
            for n in range(NOTE_COUNT)]


def write_jsonl(path: Path, rows: list[BaseModel]) -> None:
    path.write_text("".join(json.dumps(row.model_dump(), ensure_ascii=False) + "\n" for row in rows),
                    encoding="utf-8")


def written_notes(data_dir: Path = DATA_DIR) -> tuple[list[Path], list[Path]]:
    """The hand-written clean notes, split once with a fixed seed: (calibration, held out)."""
    paths = sorted((data_dir / "clean_notes_written").glob("*.md"))
    held_out = set(random.Random(SEED).sample(range(len(paths)), len(paths) // 2))
    return ([p for n, p in enumerate(paths) if n not in held_out], [p for n, p in enumerate(paths) if n in held_out])


def calibration_notes(data_dir: Path = DATA_DIR) -> list[str]:
    """Bodies of the calibration half of the written notes (front matter dropped)."""
    return [_body(path) for path in written_notes(data_dir)[0]]


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("---", 2)[2] if text.startswith("---") else text


def build(data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Rebuild the three data files from the pools; returns how many rows each holds."""
    rng = random.Random(SEED)
    train, test = split(all_examples(data_dir / "sources", rng), rng)
    notes = clean_notes(data_dir / "sources", rng)
    # The second pools split with their own seed, so the first pools' split stays as it was.
    more_train, more_test = split(more_examples(data_dir / "sources"), random.Random(SEED + 1))
    train, test = train + more_train, test + more_test
    for name, rows in (("train", train), ("test", test), ("clean_notes", notes)):
        write_jsonl(data_dir / f"{name}.jsonl", rows)
    return {"train": len(train), "test": len(test), "clean_notes": len(notes)}


if __name__ == "__main__":
    print(build())
