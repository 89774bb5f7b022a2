"""What each mentor line does (asks openly, reflects, advises, dismisses…), for the listening state
and the debrief. The labels come from the trained labeller (coach/coaching/labeller); this keeps
the small interface the practice engine and the debrief were built on."""

from collections.abc import Sequence

from pydantic import BaseModel

from coach.coaching.labeller.model import Embed, Labeller, LabellerModel, Neighbour

__all__ = ["BehaviourClassifier", "Embed", "LineLabel"]


class LineLabel(BaseModel):
    """Why a line got its labels: each label's probability, and the training lines it is most like."""

    text: str
    behaviours: list[str]
    scores: dict[str, float] = {}
    nearest: list[Neighbour] = []


class BehaviourClassifier:
    def __init__(self, embed: Embed, model: LabellerModel | None = None) -> None:
        self.embed = embed
        self.labeller = Labeller(embed, model)

    def label(self, lines: Sequence[str]) -> list[LineLabel]:
        return [LineLabel(text=read.text, behaviours=read.labels, scores=read.probabilities, nearest=read.nearest)
                for read in self.labeller.label(lines)]
