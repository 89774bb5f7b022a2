"""Sampling for role-play, chosen apart from Ask's. Ask wants answers close to its passages (a low
temperature, the `temperature` setting); a mentee wants varied, natural speech that does not loop
over the same sentence, so it samples warmer and penalises repeated tokens. The speaker passes these
to the backend per call (`ChatBackend.stream(..., sampling=...)`), so Ask and the debrief keep theirs."""

from coach.llm.base import Sampling

__all__ = ["BEFORE", "ROLE_PLAY", "Sampling"]

# Before part 7 the mentee sampled like Ask: temperature 0.2 and no repeat penalty.
BEFORE = Sampling(temperature=0.2, repeat_penalty=1.0)
# Measured with `coach bench --only practice` (docs/measured.md): see the report in the commit.
# A mentee speaks out loud: brackets and asterisks could only start narration ("(looks down)"), so
# the local model never writes them (llm/character_ban.py).
ROLE_PLAY = Sampling(temperature=0.7, repeat_penalty=1.15, banned_characters="()[]*")
