"""The role-play loop: the model speaks only as the scenario's mentee, every sentence of a reply is
checked by the guard as it streams (speaking.py), listening is tracked as explicit state, and each
completed turn is saved at once. The prompt is laid out so llama.cpp reuses its KV cache: a fixed
persona that holds nothing hidden, then the history exactly as it was sent, each mentor line with the
stage note it was sent with, so a new turn evaluates only the new tokens."""

import time
from collections.abc import Collection
from threading import Event
from typing import TYPE_CHECKING

from pydantic import BaseModel

from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.practice.guard import GuardContext, MenteeGuard
from coach.coaching.practice.listening import ListeningState
from coach.coaching.practice.notes import StageNotes
from coach.coaching.practice.probes import probe_of
from coach.coaching.practice.reveal import says_concern
from coach.coaching.practice.sampling import ROLE_PLAY, Sampling
from coach.coaching.practice.sentences import normal_form, split_sentences
from coach.coaching.practice.speaking import GuardedSpeaker, Progress, Spoken
from coach.coaching.prompts import PromptTemplate
from coach.coaching.scenarios import Scenario
from coach.errors import CoachError
from coach.formats.display import display_safe
from coach.llm.base import ChatBackend, ChatMessage, prompt_cache
from coach.sessions.store import SessionStore, Turn

if TYPE_CHECKING:
    from coach.coaching.ask import AskResult, AskService

TRIMMED_NOTE = "Earlier turns were set aside so the conversation fits the model's memory."
CONFESSION_WORDS = 8
# Words that lose their capital in the middle of a sentence; a name ("Jordan") keeps it, and so does "I".
SENTENCE_STARTS = frozenset({"my", "our", "the", "a", "an", "two", "three", "some", "every", "everyone",
                             "nobody", "people", "we", "they", "it", "there", "this", "that", "one", "since"})
MAX_LINE_CHARS = 2000  # a spoken turn; longer text is a paste, and would crowd out the history
__all__ = ["MenteeReply", "PracticeEngine", "Progress", "TRIMMED_NOTE"]


class MenteeReply(BaseModel):
    turn: Turn
    retries: int
    problems: list[str]  # what the guard caught (a rejected first attempt, a dropped sentence), if anything
    rejected: list[str] = []  # the sentences it caught
    clean_first_try: bool = True  # the model's first attempt passed whole
    evaluated_prompt_tokens: int
    prompt_tokens: int
    tokens_per_second: float = 0.0
    first_token_seconds: float = 0.0
    first_shown_seconds: float = 0.0  # from the mentor's line to the first checked sentence shown
    opener: str = ""  # the words the reply was begun with (a whole first sentence is shown at once)


class PracticeEngine:
    def __init__(self, scenario: Scenario, backend: ChatBackend, classifier: BehaviourClassifier,
                 store: SessionStore, prompt: PromptTemplate, max_tokens: int = 120,
                 sampling: Sampling = ROLE_PLAY) -> None:
        self.scenario, self.backend, self.classifier = scenario, backend, classifier
        self.store, self.prompt, self.max_tokens = store, prompt, max_tokens
        self.guard = MenteeGuard(scenario.mentee.name, classifier)
        self.notes = StageNotes(prompt, scenario)
        self.speaker = GuardedSpeaker(backend, self.guard, sampling, max_tokens, prompt.fallback_reply)
        self.state = ListeningState()
        self.session_id = ""
        self._sent: list[ChatMessage] = []  # history exactly as the model saw it, persona excluded
        self._notes_sent: dict[int, str] = {}  # mentor turn id -> stage note it was sent with
        self._state_after: dict[int, dict] = {}  # mentee turn id -> listening state after that reply
        self._persona = self._render("", "")[0]
        self.last_restore_seconds = 0.0

    def start(self) -> Turn:
        """Open a saved session with the card's opening line (no model call)."""
        self.session_id = self.store.create_session(self.scenario.id, self.backend.name).id
        opening = self.scenario.mentee.opening_line
        self._sent = [ChatMessage(role="assistant", content=opening)]
        return self.store.add_turn(self.session_id, "mentee", opening)

    def warm_up(self) -> None:
        """Read the persona into the model's cache now, so the first reply starts sooner (a backend
        without a prompt cache of its own, such as a server, skips this)."""
        if cache := prompt_cache(self.backend):
            cache.warm_up(self.messages()[:1], self.speaker.sampling)

    def transcript(self) -> list[Turn]:
        """The branch being played, in order: what a screen shows and what a debrief reads."""
        return self.store.transcript(self.session_id)

    def timeouts(self) -> list:
        """The coach's answers asked for during this session, each placed after a turn."""
        return self.store.timeouts(self.session_id)

    def can_debrief(self) -> bool:
        """A debrief needs at least one line from the mentor."""
        return any(turn.speaker == "mentor" for turn in self.transcript())

    def mentor_says(self, line: str, stop: Event | None = None, progress: Progress | None = None) -> MenteeReply | None:
        """The mentee's checked reply to `line`, shown sentence by sentence through `progress`; None
        if stopped first, and then the line is taken back (kept on a side branch) so the mentor can
        say it again or differently."""
        started = time.perf_counter()
        line = display_safe(line).strip()  # a piped script may carry escape codes too
        if not line:
            raise CoachError("Say something to the mentee first; an empty line is not a turn.")
        if len(line) > MAX_LINE_CHARS:
            raise CoachError(f"That line is {len(line):,} characters; say it in under {MAX_LINE_CHARS:,}, "
                             "as you would out loud.")
        before = self.state
        self.state = self.state.after(self.classifier.label([line])[0])
        mentor_turn = self.store.add_turn(self.session_id, "mentor", line)
        note = self.notes.for_turn(self.state, probe_of(line))
        self._notes_sent[mentor_turn.id] = note
        self._sent.append(self._render(line, note)[1])
        try:
            self._fit_history()
            reply = self._reply(line, stop, progress, started)
        except BaseException:  # a failed turn (model error, full disk) must not leave a half turn behind
            self._take_back(mentor_turn.id, before)
            raise
        if reply is None:
            self._take_back(mentor_turn.id, before)
        return reply

    def _take_back(self, mentor_turn_id: int, state: ListeningState) -> None:
        """The mentor's line goes to a side branch and listening is as it was before it."""
        self.rewind_to(mentor_turn_id)
        self.state = state

    def regenerate(self, stop: Event | None = None, progress: Progress | None = None) -> MenteeReply | None:
        """Ctrl+R: a new reply to the same mentor line (sent with the same stage note); the old reply
        stays stored on its branch."""
        started = time.perf_counter()
        transcript = self.transcript()
        if len(transcript) < 2 or transcript[-1].speaker != "mentee" or transcript[-2].speaker != "mentor":
            raise CoachError("There is no mentee reply to regenerate yet; say something first.")
        self.store.rewind(self.session_id, transcript[-1].id)
        self._rebuild()
        self.state = ListeningState.model_validate(self._state_before(transcript[-1].id))
        self.state = self.state.after(self.classifier.label([transcript[-2].text])[0])
        self._fit_history()
        return self._reply(transcript[-2].text, stop, progress, started)

    def rewind_to(self, mentor_turn_id: int) -> None:
        """Go back to just before a mentor line to say it differently; the old branch is kept."""
        self.store.rewind(self.session_id, mentor_turn_id)
        self._rebuild()

    def _reply(self, line: str, stop: Event | None, progress: Progress | None, started: float) -> MenteeReply | None:
        context = self._guard_context(line)
        spoken = self.speaker.speak(self.messages(), context, stop or Event(), progress, started, self._opener(context))
        if spoken is None:
            return None
        self._sent.append(ChatMessage(role="assistant", content=spoken.text))
        self._note_reveal(spoken.text)
        turn = self.store.add_turn(self.session_id, "mentee", spoken.text, retries=spoken.retries)
        self._state_after[turn.id] = self.state.model_dump()
        self.store.save_state(self.session_id, {**self.state.model_dump(), "notes": self._notes_sent,
                                                "states": self._state_after})
        return _mentee_reply(turn, spoken)

    def _opener(self, context: GuardContext) -> str:
        """The reply's first words, when the model needs them to stay a person or to say what it has
        been told: a line that tests the machine gets a puzzled opener that turns back to the mentee's
        situation (told only to react so, the small model still answered the quiz: "The answer is
        84."), advice given too early the start of a pushback, a brush-off a short closed start, and a
        turn that is to tell the concern the start of telling it. Each opener is one whose first
        sentence this session has not begun a sentence with yet."""
        confessing = False
        if context.probe.off_script:
            openers = self.prompt.probe_openers
        elif context.advised_early:
            openers = self.prompt.pushback_openers
        elif self.state.reaction in ("dismissed", "shut_down"):
            openers = self.prompt.dismissal_openers
        elif self.state.disclosure == "concern":
            openers, confessing = self.prompt.concern_openers, True
        else:
            return ""
        unused = (o.strip() for o in openers.splitlines() if o.strip())
        opener = next((o for o in unused if not _begins_any(normal_form(split_sentences(o)[0]), context.said)), "")
        if opener and confessing:
            opener = f"{opener} {confession_start(self.scenario.hidden.in_own_words)}".strip()
        return opener

    def _guard_context(self, line: str) -> GuardContext:
        said = {normal_form(s) for turn in self.transcript() if turn.speaker == "mentee"
                for s in split_sentences(turn.text)}
        return GuardContext(mentor_line=line, probe=probe_of(line), said=frozenset(said),
                            advised_early=self.state.reaction == "advised_early")

    def _rebuild(self) -> None:
        """History and listening state for the branch now being played, exactly as first sent."""
        self._sent, self.state = [], ListeningState()
        for turn in self.transcript():
            if turn.speaker == "mentee":
                self._sent.append(ChatMessage(role="assistant", content=turn.text))
                self.state = ListeningState.model_validate(self._state_after.get(turn.id, self.state.model_dump()))
            elif turn.speaker == "mentor":
                note = self._notes_sent.get(turn.id) or self.notes.for_turn(ListeningState(), probe_of(""))
                self._sent.append(self._render(turn.text, note)[1])

    def _state_before(self, mentee_turn_id: int) -> dict:
        earlier = [t for t in self._state_after if t < mentee_turn_id]
        return self._state_after[max(earlier)] if earlier else ListeningState().model_dump()

    def time_out(self, ask: "AskService", question: str, stop: Event | None = None,
                 on_piece: Progress | None = None) -> "AskResult":
        """Ask the coach mid-conversation. The answer is saved apart from the role-play, and the
        model's state is put back afterwards so the next turn does not re-read the whole history."""
        cache = prompt_cache(self.backend)
        saved = cache.snapshot() if cache else None
        try:
            for item in ask.ask(question, stop):
                if isinstance(item, str) and on_piece:
                    on_piece(item)
                result = item
        finally:
            started = time.perf_counter()
            if cache:
                cache.restore(saved)
            self.last_restore_seconds = time.perf_counter() - started  # `coach bench` reports it
        citations = [c.model_dump() for c in result.citations]
        self.store.add_timeout(self.session_id, question, result.answer, citations)
        return result

    def messages(self) -> list[ChatMessage]:
        return [self._persona, *self._sent]

    def _fit_history(self) -> None:
        """Drop the oldest exchanges (never the persona) until prompt + reply fit the window."""
        budget = self.backend.n_ctx - self.max_tokens
        trimmed = False
        while self.backend.count_tokens(self.messages()) > budget and len(self._sent) > 2:
            self._sent = self._sent[2:]
            trimmed = True
        if trimmed:
            self.store.add_turn(self.session_id, "note", TRIMMED_NOTE)

    def _note_reveal(self, reply: str) -> None:
        """Once the model may speak of the concern, whether this reply did (the bench and screens read it)."""
        if not self.state.hint_given or self.state.concern_revealed:
            return
        if says_concern(reply, self.scenario, self.classifier.embed):
            self.state = self.state.mark_revealed()

    def _render(self, mentor_line: str, stage_note: str) -> list[ChatMessage]:
        m = self.scenario.mentee
        return self.prompt.render(name=m.name, role=m.role, situation=m.situation, manner=m.manner, voice=m.voice,
                                  wants=m.wants, mentor_line=mentor_line, stage_note=stage_note)


def _mentee_reply(turn: Turn, spoken: Spoken) -> MenteeReply:
    stats = spoken.stats
    return MenteeReply(turn=turn, retries=spoken.retries, problems=spoken.problems, rejected=spoken.rejected,
                       clean_first_try=spoken.clean_first_try, prompt_tokens=stats.prompt_tokens,
                       evaluated_prompt_tokens=stats.evaluated_prompt_tokens,
                       tokens_per_second=stats.tokens_per_second, first_token_seconds=stats.first_token_seconds,
                       first_shown_seconds=spoken.first_shown_seconds, opener=spoken.opener)


def confession_start(in_own_words: str | None) -> str:
    """The first words of the card's concern in the mentee's words (up to a comma, at most
    CONFESSION_WORDS), to follow a concern opener: begun with only "Honestly, what I haven't said
    yet is that", the small model still went on to a worry of its own making in a third of the
    listener's sessions. The model finishes the sentence itself."""
    if not in_own_words:
        return ""
    words = in_own_words.split(",")[0].split()[:CONFESSION_WORDS]
    if words and words[0].lower() in SENTENCE_STARTS:  # "…is that my manager", but "…is that Jordan"
        words[0] = words[0].lower()
    return " ".join(words)


def _begins_any(words: str, said: Collection[str]) -> bool:
    return any(sentence == words or sentence.startswith(words + " ") for sentence in said)
