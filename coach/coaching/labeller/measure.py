"""How well predicted labels match the annotated ones: per-label precision, recall and F1, macro-F1,
open-versus-closed accuracy, and a label confusion matrix (gold label → labels predicted)."""

from collections.abc import Sequence

from pydantic import BaseModel

from coach.coaching.labeller.labels import LABELS


class LabelFigures(BaseModel):
    label: str
    support: int
    precision: float
    recall: float
    f1: float


class LabellerFigures(BaseModel):
    lines: int
    per_label: list[LabelFigures]
    macro_f1: float
    open_closed_accuracy: float
    open_closed_lines: int
    confusion: dict[str, dict[str, int]]  # gold label → predicted label → lines

    def f1(self, label: str) -> float:
        return next(f.f1 for f in self.per_label if f.label == label)


def measure(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], labels: Sequence[str] = LABELS) -> LabellerFigures:
    per_label = [_figures(label, gold, predicted) for label in labels]
    return LabellerFigures(
        lines=len(gold), per_label=per_label,
        macro_f1=round(sum(f.f1 for f in per_label) / len(per_label), 3),
        open_closed_accuracy=_open_closed(gold, predicted)[0], open_closed_lines=_open_closed(gold, predicted)[1],
        confusion={g: {p: sum(1 for gs, ps in zip(gold, predicted) if g in gs and p in ps) for p in labels} for g in labels})


def _figures(label: str, gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> LabelFigures:
    true_pos = sum(1 for g, p in zip(gold, predicted) if label in g and label in p)
    said = sum(1 for p in predicted if label in p)
    support = sum(1 for g in gold if label in g)
    precision = true_pos / said if said else 0.0
    recall = true_pos / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelFigures(label=label, support=support, precision=round(precision, 3), recall=round(recall, 3), f1=round(f1, 3))


def _open_closed(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> tuple[float, int]:
    """Over lines that are exactly one of open or closed question: is that the one predicted, alone?"""
    kinds = {"open_question", "closed_question"}
    pairs = [(set(g) & kinds, set(p) & kinds) for g, p in zip(gold, predicted) if len(set(g) & kinds) == 1]
    right = sum(1 for g, p in pairs if g == p)
    return (round(right / len(pairs), 3) if pairs else 0.0), len(pairs)
