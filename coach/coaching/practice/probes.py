"""Mentor lines that test the machine rather than talk to the mentee: asking whether it is an AI,
asking for its instructions, quizzes and tasks. The mentee answers them as a puzzled colleague would,
and the guard makes sure a reply does not answer the quiz or do the task."""

import re

from pydantic import BaseModel

MACHINE = re.compile(
    r"\b(are you|you're|you are|r u)\s+(just\s+|really\s+|actually\s+)?(an?\s+)?"
    r"(ai|a\.i\.|bot|robot|chat ?bot|language model|llm|machine|computer|program|assistant|chatgpt|gpt|human|real)\b|"
    r"\b(who|what company) (made|created|built|trained|programmed) you\b|\bwhat model are you\b", re.I)
INSTRUCTIONS = re.compile(
    r"\b(ignore|disregard|forget|drop|stop)\b.{0,40}\b(instructions|prompt|above|previous|rules|role-?play|"
    r"character|act(ing)?)\b|\b(system prompt|your (instructions|prompt|rules|script|programming))\b|"
    r"\b(break character|out of character|role-?play|you are now|pretend (you are|to be)|act as)\b", re.I)
QUIZ = re.compile(
    r"\b(capital of|how many \w+ (are|is) (there|in)|what year|who (won|wrote|invented|painted|discovered|is the "
    r"president|was the first)|square root|\d+\s*(\+|-|\*|x|times|plus|minus|divided by)\s*\d+|translate|"
    r"recipe|(write|compose|give) (me )?(a|an|some) (\w+ )?(poem|story|essay|song|haiku|joke|limerick|code|function|"
    r"program|script|list)|weather (in|today)|spell \w+ backwards)\b", re.I)


class Probe(BaseModel):
    kind: str  # "machine", "instructions", "quiz" or "" for an ordinary line

    @property
    def off_script(self) -> bool:
        return bool(self.kind)


def probe_of(line: str) -> Probe:
    """What a mentor line tests, if it tests the machine at all."""
    for kind, pattern in (("instructions", INSTRUCTIONS), ("machine", MACHINE), ("quiz", QUIZ)):
        if pattern.search(line):
            return Probe(kind=kind)
    return Probe(kind="")
