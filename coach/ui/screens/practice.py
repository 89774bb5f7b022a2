"""The Practice screen: pick a scenario, then talk with the role-played mentee, whose reply appears
sentence by sentence as each passes the in-character check. Ctrl+T asks the coach apart from the
role-play, Ctrl+R regenerates the last reply, Ctrl+Z takes a line back, Ctrl+E ends the session and
opens the debrief. F4 turns live hints on or off: the labeller's reading of each mentor line, under it."""

from threading import Event

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header, Input, Static

from coach.coaching.practice.hints import LiveHints
from coach.formats.display import display_safe
from coach.ui.errors import describe, errors_as_notices
from coach.ui.screens.debrief import DebriefScreen
from coach.ui.screens.time_out import TimeOutScreen
from coach.ui.widgets.chat_log import ChatLog
from coach.ui.widgets.scenario_picker import ScenarioPicker
from coach.ui.widgets.status_line import StatusLine

CHAT_ACTIONS = {"time_out", "regenerate", "end", "take_back", "stop", "new_scenario", "toggle_hints"}


class PracticeScreen(Screen):
    # priority: the line box would otherwise take Ctrl+E (end of line) and Ctrl+Z (undo) for itself.
    BINDINGS = [
        Binding("ctrl+t", "time_out", "Time-out", priority=True),
        Binding("ctrl+r", "regenerate", "Regenerate", priority=True),
        Binding("ctrl+z", "take_back", "Take back", priority=True),
        Binding("ctrl+e", "end", "End & debrief", priority=True),
        Binding("escape", "stop", "Stop"),
        Binding("ctrl+n", "new_scenario", "New scenario"),
        Binding("f4", "toggle_hints", "Live hints"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.engine = None
        self.busy = False
        self._stop = Event()
        self.live_hints = False  # from the settings once mounted; F4 toggles it
        self.hints: LiveHints | None = None
        self._mentor_lines: list[str] = []  # the mentor lines in the log, in order, for their hints

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="picker", id="practice-switcher"):
            with Vertical(id="picker"):
                yield Static("", markup=False, id="next-suggestion")
                yield ScenarioPicker(self._scenarios(), id="scenario-picker")
            with Vertical(id="chat"):
                yield Static("", markup=False, id="chat-briefing")
                yield ChatLog("Mentee", id="chat-log")
                yield Input(placeholder="Say something to your mentee…", id="mentor-line", max_length=2000)
        yield StatusLine(id="status")
        yield Footer()

    def _scenarios(self) -> list:
        from coach.coaching.scenarios import read_scenarios

        try:
            read = read_scenarios(self.app.services.workspace.scenarios_dir)
        except Exception as error:  # an unreadable corpus must not take the app down
            self.notify(describe(error), severity="error", timeout=20)
            return []
        for problem in read.problems:  # a broken card is left out of the list, and named
            self.notify(f"Skipped a scenario: {problem}", severity="warning", timeout=15)
        return read.cards

    def on_mount(self) -> None:
        self.live_hints = self.app.services.settings.live_hints
        self.query_one(StatusLine).show(self.app.model_status)
        self.show_next_suggestion()

    def on_screen_resume(self) -> None:
        self.query_one(StatusLine).show(self.app.model_status)
        self.show_next_suggestion()

    def show_next_suggestion(self) -> None:
        """What to practise next, from the debriefs so far (see the Progress screen, F9)."""
        try:
            suggestion = self.app.services.progress().suggestion()
        except Exception:  # a suggestion is a nicety: an unreadable history must not block practice
            suggestion = None
        box = self.query_one("#next-suggestion", Static)
        box.display = suggestion is not None
        box.update(display_safe(f"Suggested next: {suggestion.reason}") if suggestion else "")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in CHAT_ACTIONS and self.engine is None:
            return False  # hidden from the footer until a session is open
        return True

    @on(ScenarioPicker.Chosen)
    def choose(self, event: ScenarioPicker.Chosen) -> None:
        self.start(event.scenario)

    def start(self, scenario) -> None:
        """Open a new saved session for `scenario` (also used by "practise again")."""
        self.engine = None
        self.query_one(ContentSwitcher).current = "chat"
        self.query_one("#chat-briefing", Static).update(f"{scenario.title}\n{' '.join(scenario.briefing.split())}")
        log = self.query_one(ChatLog)
        log.mentee = scenario.mentee.name
        log.clear()
        self._mentor_lines = []
        log.show_typing(f"{scenario.mentee.name} is getting ready…")
        self.busy = True
        self.open_session(scenario)

    @work(thread=True, exclusive=True, group="practice")
    def open_session(self, scenario) -> None:
        with errors_as_notices(self, timeout=20):
            engine = self.app.services.practice_engine(scenario.id)
            engine.start()
            self.app.call_from_thread(self._opened, engine)
            engine.warm_up()  # the persona is read while the mentor reads the opening line
        self.app.call_from_thread(self._idle)

    def _opened(self, engine) -> None:
        self.engine = engine
        self.hints = LiveHints(engine.classifier)
        self.refresh_bindings()
        self.refresh_log()
        self.query_one("#mentor-line", Input).focus()

    def _idle(self) -> None:
        self.busy = False
        self.query_one(ChatLog).hide_typing()

    def refresh_log(self) -> None:
        """Show the branch being played, with time-outs where they were taken."""
        after: dict[int | None, list] = {}
        for timeout in self.engine.timeouts():
            after.setdefault(timeout.after_turn_id, []).append(timeout)
        log = self.query_one(ChatLog)
        log.clear()
        transcript = self.engine.transcript()
        for turn in transcript:
            log.add_turn(turn.speaker, turn.text)
            for timeout in after.get(turn.id, []):
                log.add_turn("timeout", f"you asked the coach “{timeout.question}” (saved with the session)")
        self._mentor_lines = [turn.text for turn in transcript if turn.speaker == "mentor"]
        self.show_hints()

    def show_hints(self) -> None:
        """Each mentor line's hint under it while hints are on; a line not labelled yet is labelled
        in a worker first."""
        log = self.query_one(ChatLog)
        if not self.live_hints or self.hints is None:
            log.hide_hints()
            return
        known = self.hints.known(self._mentor_lines)
        if known is None:
            self.label_lines(list(self._mentor_lines))
        else:
            log.show_hints(known)

    @work(thread=True, exclusive=True, group="hints")
    def label_lines(self, lines: list[str]) -> None:
        with errors_as_notices(self):
            hints = self.hints.hints(lines)
            self.app.call_from_thread(self._hints_ready, lines, hints)

    def _hints_ready(self, lines: list[str], hints: list[str]) -> None:
        if self.live_hints and lines == self._mentor_lines:  # else the log changed and asked again
            self.query_one(ChatLog).show_hints(hints)

    def action_toggle_hints(self) -> None:
        self.live_hints = not self.live_hints
        self.show_hints()

    @on(Input.Submitted, "#mentor-line")
    def say(self, event: Input.Submitted) -> None:
        line = event.value.strip()
        if not line or not self._can_act():
            return
        event.input.value = ""
        self.query_one(ChatLog).add_turn("mentor", line)
        self._mentor_lines.append(line)
        self.show_hints()
        self._begin(f"{self.engine.scenario.mentee.name} is replying…")
        self.run_turn(line, self._stop)

    @work(thread=True, exclusive=True, group="practice")
    def run_turn(self, line: str | None, stop: Event) -> None:
        """`line` is the mentor's new line, or None to regenerate the last reply."""
        try:
            progress = self._reply_progress()
            reply = (self.engine.mentor_says(line, stop, progress) if line is not None
                     else self.engine.regenerate(stop, progress))
            self.app.call_from_thread(self._turn_done, reply, line)
        except Exception as error:
            self.app.call_from_thread(self._turn_failed, describe(error), line)
        finally:
            self.app.call_from_thread(self._idle)

    def _reply_progress(self):
        def progress(shown: str) -> None:  # only sentences that passed the check arrive here
            self.app.call_from_thread(self._show_reply_so_far, shown)
        return progress

    def _show_reply_so_far(self, shown: str) -> None:
        """The reply as checked so far; it only ever grows until the turn is done and the log is redrawn."""
        log = self.query_one(ChatLog)
        log.hide_typing()
        text = display_safe(f"{log.mentee}: {shown}")
        so_far = log.query("#reply-so-far")
        if so_far:
            so_far.first(Static).update(text)
        else:
            log.mount(Static(text, markup=False, classes="turn-mentee", id="reply-so-far"))
        log.scroll_end(animate=False)

    def _turn_failed(self, sentence: str, line: str | None) -> None:
        """The turn did not happen (a model error, a server gone): the mentor's line goes back in the
        box, so nothing they typed is lost and Enter tries it again."""
        self.refresh_log()
        box = self.query_one("#mentor-line", Input)
        if line is not None and not box.value:
            box.value = line
        self.notify(f"{sentence} Your line is back in the box; press Enter to try again." if line is not None else sentence,
                    severity="error")

    def _turn_done(self, reply, line: str | None) -> None:
        self.refresh_log()
        if reply is None:
            if line is not None:
                self.query_one("#mentor-line", Input).value = line
            self.notify("Stopped. Your line is back in the box; change it or send it again.")
            return
        if reply.retries:
            self.notify(f"The first reply slipped out of character ({', '.join(reply.problems)}); it was regenerated.",
                        timeout=4)
        self.query_one(StatusLine).show(f"{self.app.model_status} · reply read {reply.evaluated_prompt_tokens} "
                                        f"new of {reply.prompt_tokens} tokens · {reply.tokens_per_second:.1f} tok/s")

    def _begin(self, typing: str) -> None:
        self.busy = True
        self._stop = Event()
        self.query_one(ChatLog).show_typing(typing)

    def _can_act(self) -> bool:
        if self.engine is None:
            return False
        if self.busy:
            self.notify("The mentee is still replying; wait a moment or press Escape to stop.", severity="warning")
            return False
        return True

    def action_stop(self) -> None:
        self._stop.set()

    def action_regenerate(self) -> None:
        if not self._can_act():
            return
        transcript = self.engine.transcript()
        if len(transcript) < 2 or transcript[-1].speaker != "mentee":
            self.notify("There is no reply to regenerate yet; say something first.", severity="warning")
            return
        self._begin(f"{self.engine.scenario.mentee.name} is trying that again…")
        self.run_turn(None, self._stop)

    def action_take_back(self) -> None:
        """Rewind to just before your last line; the old branch stays saved."""
        if not self._can_act():
            return
        mentor_turns = [t for t in self.engine.transcript() if t.speaker == "mentor"]
        if not mentor_turns:
            self.notify("Nothing to take back yet.", severity="warning")
            return
        self.engine.rewind_to(mentor_turns[-1].id)
        self.refresh_log()
        self.query_one("#mentor-line", Input).value = mentor_turns[-1].text
        self.notify("Taken back. Say it differently; the earlier version stays saved with the session.")

    def action_time_out(self) -> None:
        if self._can_act():
            self.busy = True
            self.app.push_screen(TimeOutScreen(self.engine), lambda _: self._time_out_over())

    def _time_out_over(self) -> None:
        self.busy = False
        self.refresh_log()
        self.query_one("#mentor-line", Input).focus()

    def action_end(self) -> None:
        if not self._can_act():
            return
        if not self.engine.can_debrief():
            self.notify("Say something to the mentee first; there is nothing to debrief yet.", severity="warning")
            return
        scenario = self.engine.scenario
        self.app.push_screen(DebriefScreen(scenario=scenario, session_id=self.engine.session_id),
                             lambda again: self.start(scenario) if again else self.action_new_scenario())

    def action_new_scenario(self) -> None:
        if self.busy:
            self._stop.set()
        self.engine = None
        self.refresh_bindings()
        self.query_one(ContentSwitcher).current = "picker"
        self.query_one("#scenario-list").focus()
