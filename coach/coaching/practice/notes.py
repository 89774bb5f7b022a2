"""The stage note that rides on each mentor line: how the mentee reacts to what the listening state
says about that line, and what it may now disclose. The hidden concern reaches the model only here,
and only once the state allows it: the persona never holds it."""

from coach.coaching.practice.listening import ListeningState
from coach.coaching.practice.probes import Probe
from coach.coaching.prompts import PromptTemplate
from coach.coaching.scenarios import Scenario
from coach.errors import PromptError

ASK_BACK_EVERY = 3  # now and then (every third line) the mentee may ask something back
REACTIONS = ("neutral", "heard", "advised_early", "dismissed", "shut_down", "probe")
DISCLOSURES = ("hint", "concern", "told")
NOTE_NAMES = (*REACTIONS, *DISCLOSURES, "ask_back")


class StageNotes:
    def __init__(self, prompt: PromptTemplate, scenario: Scenario) -> None:
        missing = sorted(set(NOTE_NAMES) - set(prompt.stage_notes))
        if missing:
            raise PromptError(f"prompts/{prompt.name}.toml has no stage note(s) {missing}; add them.")
        hidden = scenario.hidden
        self._notes = prompt.stage_notes
        self._values = {"name": scenario.mentee.name, "hint": hidden.hint, "concern": hidden.concern,
                        "in_own_words": hidden.in_own_words or hidden.concern,
                        "early_advice": hidden.reactions.early_advice, "dismissal": hidden.reactions.dismissal,
                        "being_heard": hidden.reactions.being_heard}

    def for_turn(self, state: ListeningState, probe: Probe) -> str:
        """The note for the line that brought the conversation to `state`."""
        reaction = "probe" if probe.off_script else state.reaction
        if state.disclosure == "concern" and reaction != "probe":
            return self._render("concern")  # alone, so a small model does nothing but say it
        parts = [reaction]
        if state.disclosure != "none" and reaction not in ("shut_down", "probe"):
            parts.append(state.disclosure)
        if reaction in ("heard", "neutral") and state.disclosure != "concern" and state.mentor_lines % ASK_BACK_EVERY == 0:
            parts.append("ask_back")
        return " ".join(self._render(name) for name in parts)

    def _render(self, name: str) -> str:
        return " ".join(self._notes[name].split()).format(**self._values)
