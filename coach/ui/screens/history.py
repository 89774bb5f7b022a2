"""The History screen: past sessions with scenario, date and total; the selected one's transcript,
time-outs and debrief below; open its debrief, or export it as Markdown."""

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Markdown

from coach.ui.errors import describe
from coach.ui.widgets.status_line import StatusLine


class HistoryScreen(Screen):
    BINDINGS = [Binding("ctrl+o", "open_debrief", "Open debrief"), Binding("ctrl+x", "export", "Export Markdown")]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list = []
        self.record = None
        self.cards: dict = {}  # read once per reload: a highlight must not re-read every card

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="session-scroll"):
            yield Markdown("", id="session-view")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("started", "scenario", "your lines", "score")
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        problem = ""
        try:
            history = self.app.services.history()
            self.cards = history.cards()
            self.summaries = history.summaries(self.cards)
        except Exception as error:
            problem = describe(error)
            self.notify(problem, severity="error")
            self.summaries = []
        table = self.query_one(DataTable)
        table.clear()
        for s in self.summaries:
            score = f"{s.score}/{s.max_score}" if s.score is not None else "not debriefed"
            table.add_row(Text(s.started_at.replace("T", " ")[:16]), Text(s.title), Text(str(s.mentor_lines)),
                          Text(score), key=s.id)
        self.query_one(StatusLine).show(f"{len(self.summaries)} saved session(s)" if not problem
                                        else "the session history could not be read")
        if problem:  # never "no sessions yet": that reads as if the history were gone
            self.query_one("#session-view", Markdown).update(f"**The session history could not be read.** {problem}")
        elif not self.summaries:
            self.query_one("#session-view", Markdown).update("*No practice sessions yet. Start one on the Practice screen.*")

    @on(DataTable.RowHighlighted)
    def show_session(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None or event.row_key.value is None:
            return
        from coach.coaching.session_export import to_markdown

        try:
            self.record = self.app.services.history().record(event.row_key.value, self.cards)
        except Exception as error:  # a session deleted from the command line meanwhile, say
            self.notify(describe(error), severity="error")
            return
        self.query_one("#session-view", Markdown).update(to_markdown(self.record))

    @on(DataTable.RowSelected)
    def open_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_debrief()

    def action_open_debrief(self) -> None:
        from coach.coaching.debrief.service import Debrief
        from coach.ui.screens.debrief import DebriefScreen

        if self.record is None or not self.record.debrief:
            self.notify("This session has no debrief yet.", severity="warning")
            return
        debrief = Debrief.model_validate(self.record.debrief)
        self.app.push_screen(DebriefScreen(saved=debrief), lambda again: self._again(debrief) if again else None)

    def _again(self, debrief) -> None:
        try:
            scenario = self.app.services.scenario(debrief.scenario_id)
        except Exception as error:
            self.notify(describe(error), severity="error")
            return
        self.app.practise(scenario)

    def action_export(self) -> None:
        if self.record is None:
            self.notify("Choose a session first.", severity="warning")
            return
        self.export(self.record.session.id)

    @work(thread=True, group="export")
    def export(self, session_id: str) -> None:
        try:
            folder = self.app.services.settings.data_dir / "exports"
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"session-{session_id}.md"
            target.write_text(self.app.services.history().export(session_id, "md"), encoding="utf-8")
            self.app.call_from_thread(self.notify, f"Exported to {target}")
        except Exception as error:
            self.app.call_from_thread(self.notify, describe(error), severity="error")
