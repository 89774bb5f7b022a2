"""Whether a mentee reply says the hidden concern. Closeness to the concern alone is not enough:
a concern shares words with what the mentee says openly ("mentoring", "my manager"), so a reply
counts only when it is close to the concern and closer to it than to anything in the open persona
(situation, wants, opening line). The mentee's name is read past everywhere: it is in the concern
("Tom is nervous…") and in many a reply ("Sorry, Tom."), and on a short sentence it would outweigh
what is said. The engine uses it to know the concern is out; the bench to count reveals, premature
ones included."""

import re
from collections.abc import Callable

import numpy as np

from coach.coaching.practice.sentences import split_sentences
from coach.coaching.scenarios import Scenario

REVEAL_SIMILARITY = 0.45  # a reply this close to the hidden concern may be revealing it

Embed = Callable[[list[str]], np.ndarray]


def says_concern(reply: str, scenario: Scenario, embed: Embed) -> bool:
    """The reply, or one of its sentences, tells the concern rather than the open situation."""
    pieces = [reply, *split_sentences(reply)]
    mentee = scenario.mentee
    said_openly = [mentee.situation, mentee.wants, mentee.opening_line, *split_sentences(mentee.situation)]
    name = re.compile(rf"\b{re.escape(mentee.name)}('s)?\b", re.I)
    vectors = embed([name.sub("", text) for text in (scenario.hidden.concern, *said_openly, *pieces)])
    concern, openly, replies = vectors[0], vectors[1:1 + len(said_openly)], vectors[1 + len(said_openly):]
    to_concern = replies @ concern
    to_openly = (replies @ openly.T).max(axis=1)
    return bool(np.any((to_concern >= REVEAL_SIMILARITY) & (to_concern > to_openly)))
