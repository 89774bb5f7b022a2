"""What to practise next: a scenario for the mentor's weakest recent skill, at a difficulty that
fits. Plain rules, so a mentor (and a test) can follow them:

- the weakest skill is the one with the lowest mean over its last three sessions;
- the level is the difficulty of the last scenario that practised it, one up after two 2/2s in a
  row on it, one down after two 0/2s in a row;
- of the cards that practise the skill, the one nearest that level, preferring one not just played.
"""

from pydantic import BaseModel

from coach.coaching.progress.series import ScoredSession

RECENT = 3  # sessions that count as "recent" for a skill
STEADY_RUN = 2  # scores in a row that move the level
EASIEST, HARDEST = 1, 3
COUNT_WORDS = {1: "last session", 2: "last two sessions", 3: "last three sessions"}


class CardSummary(BaseModel):
    """What the rule needs of a scenario card."""

    id: str
    title: str
    difficulty: int
    skills: list[str]


class Suggestion(BaseModel):
    scenario_id: str
    title: str
    difficulty: int
    skill: str
    reason: str  # one line: why this scenario, now


class SkillRecord(BaseModel):
    """One skill's recent scores, oldest first, with the difficulty each was scored at."""

    skill: str
    scores: list[int]
    difficulties: list[int]
    scenarios: list[str]


def suggest_next(history: list[ScoredSession], cards: list[CardSummary], names: dict[str, str]) -> Suggestion | None:
    """None only when there is no card at all."""
    if not cards:
        return None
    records = [r for r in skill_records(history, cards) if any(r.skill in c.skills for c in cards)]
    if not records:
        return _first_scenario(cards, names)
    weakest = min(records, key=lambda r: (_recent_mean(r), r.scores[-1], -len(r.scores), r.skill))
    level = target_level(weakest)
    card = _nearest_card(weakest, level, cards)
    return Suggestion(scenario_id=card.id, title=card.title, difficulty=card.difficulty, skill=weakest.skill,
                      reason=reason(weakest, names.get(weakest.skill, weakest.skill), card))


def skill_records(history: list[ScoredSession], cards: list[CardSummary]) -> list[SkillRecord]:
    difficulty = {c.id: c.difficulty for c in cards}
    records: dict[str, SkillRecord] = {}
    for session in history:
        for skill, score in session.scores.items():
            record = records.setdefault(skill, SkillRecord(skill=skill, scores=[], difficulties=[], scenarios=[]))
            record.scores.append(score)
            # A card removed since still counts; its level is unknown, so the middle one is assumed.
            record.difficulties.append(difficulty.get(session.scenario, 2))
            record.scenarios.append(session.scenario)
    return list(records.values())


def target_level(record: SkillRecord) -> int:
    """The last level played, stepped up after two 2/2s in a row and back after two 0/2s."""
    level, run = record.difficulties[-1], record.scores[-STEADY_RUN:]
    if len(run) == STEADY_RUN and all(s == 2 for s in run):
        return min(HARDEST, level + 1)
    if len(run) == STEADY_RUN and all(s == 0 for s in run):
        return max(EASIEST, level - 1)
    return level


def reason(record: SkillRecord, name: str, card: CardSummary) -> str:
    """Said from the card chosen, not the level wanted: with no harder card, it is the same level."""
    recent = record.scores[-RECENT:]
    low, high = min(recent), max(recent)
    scored = f"has been {low}–{high}" if low != high else f"has scored {low}/2"
    last = record.difficulties[-1]
    step = ("will stretch it" if card.difficulty > last else
            "is gentler practice for it" if card.difficulty < last else "practises it at the same level")
    return f"{name} {scored} in your {COUNT_WORDS[len(recent)]}; {card.title} {step}."


def _recent_mean(record: SkillRecord) -> float:
    recent = record.scores[-RECENT:]
    return sum(recent) / len(recent)


def _nearest_card(record: SkillRecord, level: int, cards: list[CardSummary]) -> CardSummary:
    practising = [c for c in cards if record.skill in c.skills]
    return min(practising, key=lambda c: (abs(c.difficulty - level), c.id == record.scenarios[-1], c.difficulty, c.id))


def _first_scenario(cards: list[CardSummary], names: dict[str, str]) -> Suggestion:
    card = min(cards, key=lambda c: (c.difficulty, c.id))
    skills = ", ".join(names.get(s, s).lower() for s in card.skills)
    return Suggestion(scenario_id=card.id, title=card.title, difficulty=card.difficulty, skill=card.skills[0],
                      reason=f"A gentle first scenario: {card.title} practises {skills}.")
