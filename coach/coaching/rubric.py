"""The rubric as data (prompts/rubric.toml): skills, and the signals that score each one."""

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coach import paths
from coach.coaching.labeller.labels import LABELS
from coach.errors import PromptError
from coach.formats.toml_files import load_toml_as

RULES = ("asked_before_advising", "listened_before_advising", "advice_before_first_question", "advice_without_permission",
         "concern_revealed", "mentee_closed_up", "mostly_closed_questions", "talked_over_mentee")


class Signal(BaseModel):
    """One reason a skill gains or loses points; exactly one of behaviour, exemplars or rule.

    With `share_below` or `share_above`, a behaviour signal judges the balance of the conversation
    instead of single lines: it fires once when the share of mentor lines carrying the behaviour is
    below (or above) that share, provided the conversation has at least `min_lines` mentor lines."""

    model_config = ConfigDict(extra="forbid")
    id: str
    says: str
    points: int = Field(ge=-2, le=2)
    behaviour: Literal[LABELS] | None = None  # type: ignore[valid-type]
    exemplars: list[str] = []
    # Lines that sound alike but mean the opposite ("it stays between us" against "it stays between
    # us unless someone is at risk"): an exemplar signal fires only when a line is nearer its own
    # exemplars than these, since similarity alone cannot tell a promise from its limits.
    against: list[str] = []
    threshold: float = Field(default=0.5, gt=0, lt=1)
    rule: Literal[RULES] | None = None  # type: ignore[valid-type]
    max_lines: int = Field(default=1, ge=1)
    scope: Literal["all", "opening", "closing"] = "all"
    share_below: float | None = Field(default=None, gt=0, lt=1)
    share_above: float | None = Field(default=None, gt=0, lt=1)
    min_lines: int = Field(default=1, ge=1)
    unless: list[Literal[LABELS]] = []  # type: ignore[valid-type]  # lines with any of these labels do not count
    also: list[Literal[LABELS]] = []  # type: ignore[valid-type]  # only lines that also carry one of these count
    try_next: str = ""  # what to try when this signal cost points (or a wanted one never fired)

    @model_validator(mode="after")
    def _one_way_to_fire(self) -> "Signal":
        ways = [self.behaviour is not None, bool(self.exemplars), self.rule is not None]
        if sum(ways) != 1:
            raise ValueError(f"signal '{self.id}' needs exactly one of behaviour, exemplars or rule")
        if (self.share_below or self.share_above) and self.behaviour is None:
            raise ValueError(f"signal '{self.id}' judges a share, so it needs a behaviour")
        return self

    @property
    def judges_balance(self) -> bool:
        return self.share_below is not None or self.share_above is not None


class Skill(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    description: str
    good_looks_like: str  # the retrieval query for the guidance passage the debrief cites
    guidance_tags: list[str]
    signals: list[Signal] = Field(min_length=1)
    strength: str  # said when the skill scored above 0, before the evidence
    wanted: list[Literal[LABELS]] = []  # type: ignore[valid-type]  # labels a rewrite for this skill should carry
    needs_scenario: bool = False  # scored only against a scenario (its signals know the situation)


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid")
    skills: list[Skill] = Field(min_length=1)

    def skill(self, skill_id: str) -> Skill:
        return next(s for s in self.skills if s.id == skill_id)

    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.skills)


@cache
def load_rubric() -> Rubric:
    return load_toml_as(paths.prompts_dir() / "rubric.toml", Rubric, PromptError)
