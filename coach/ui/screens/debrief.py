"""The Debrief screen: the rubric table, the mentor's own words as evidence, strengths and things to
try (all at once, from the signals), the guidance passages to open, then a checked rewrite of the
weakest line once the model has drafted one."""

from threading import Event

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from coach.coaching.debrief.markdown import write_up_lines
from coach.ui.errors import errors_as_notices
from coach.ui.screens.passage import PassageScreen
from coach.ui.widgets.status_line import StatusLine

WHY_WIDTH = 44


class DebriefScreen(Screen[bool]):
    """Dismisses with True for "practise again", False for back."""

    BINDINGS = [Binding("escape", "back", "Stop / Back"), Binding("ctrl+g", "again", "Practise again")]

    def __init__(self, scenario=None, session_id: str | None = None, saved=None) -> None:
        super().__init__()
        self.scenario, self.session_id, self.debrief = scenario, session_id, saved
        self.writing = False
        self.citations: list[tuple] = []
        self._stop = Event()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="debrief-body"):
            with VerticalScroll(id="debrief-main"):
                yield Static("", markup=False, id="debrief-title")
                yield DataTable(id="rubric", cursor_type="row", zebra_stripes=True)
                yield Static("Your words", classes="debrief-heading")
                yield Static("", markup=False, id="evidence")
                yield Markdown("*Scoring…*", id="narrative")
            with Vertical(id="debrief-side"):
                yield Static("Guidance (Enter to read)", classes="debrief-heading")
                yield OptionList(id="guidance")
                yield Button("Practise again", id="again", variant="primary")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#rubric", DataTable)
        table.add_column("skill")
        table.add_column("score")
        table.add_column("why", width=WHY_WIDTH)
        if self.debrief is not None:
            self.show_scores(self.debrief)
            self.show_narrative(self.debrief)
        else:
            self.writing = True
            self.query_one(StatusLine).show("Scoring the conversation…")
            self.run_debrief(self._stop)

    @work(thread=True, exclusive=True, group="debrief")
    def run_debrief(self, stop: Event) -> None:
        with errors_as_notices(self, timeout=15):
            for update in self.app.services.debrief_service().run(self.session_id, self.scenario, stop):
                self.app.call_from_thread(self._finished if update.done else self._scored, update.debrief)
        self.app.call_from_thread(self._not_writing)

    def _scored(self, debrief) -> None:
        self.debrief = debrief
        self.show_scores(debrief)
        self.query_one("#narrative", Markdown).update(
            "\n".join(write_up_lines(debrief.model_dump())) + "\n\n*Drafting a better phrasing of your weakest line… (Esc stops; the rest stays)*")
        self.query_one(StatusLine).show("Drafting a rewrite with the local model…")

    def _finished(self, debrief) -> None:
        self.debrief = debrief
        self.show_narrative(debrief)
        self.query_one(StatusLine).show("Debrief saved with the session; see it again under History (F7).")

    def _not_writing(self) -> None:
        self.writing = False

    def show_scores(self, debrief) -> None:
        self.query_one("#debrief-title", Static).update(
            f"{debrief.scenario_title}\nTotal {debrief.total}/{debrief.max_total} · you spoke "
            f"{debrief.mentor_share:.0%} of the words · the hidden concern "
            f"{'came out' if debrief.concern_surfaced else 'stayed hidden'}\n"
            f"What the mentee had not said at first: {debrief.hidden_concern}")
        table = self.query_one("#rubric", DataTable)
        table.clear()
        for score in debrief.scores:  # Text(...) keeps transcript words literal, never markup
            dots = f"{'●' * score.score}{'○' * (score.max_score - score.score)} {score.score}/{score.max_score}"
            table.add_row(Text(score.name), Text(dots), Text(score.why), height=None)
        self.query_one("#evidence", Static).update(evidence_text(debrief))
        guidance = self.query_one("#guidance", OptionList)
        guidance.clear_options()
        self.citations = unique_citations(debrief)
        for n, (citation, skills) in enumerate(self.citations):
            guidance.add_option(Option(Content(f"{citation.title}\n  for: {skills}\n  {citation.source}"), id=str(n)))

    def show_narrative(self, debrief) -> None:
        saved = debrief if isinstance(debrief, dict) else debrief.model_dump()
        self.query_one("#narrative", Markdown).update("\n".join(write_up_lines(saved)))

    @on(OptionList.OptionSelected, "#guidance")
    def open_citation(self, event: OptionList.OptionSelected) -> None:
        self.app.push_screen(PassageScreen(self.citations[event.option_index][0]))

    @on(Button.Pressed, "#again")
    def action_again(self) -> None:
        self._stop.set()
        self.dismiss(True)

    def action_back(self) -> None:
        if self.writing:
            self._stop.set()
        else:
            self.dismiss(False)


def evidence_text(debrief) -> str:
    """The mentor's own lines behind each skill's score, grouped by skill."""
    blocks = []
    for score in debrief.scores:
        quotes = [f"  {hit.points:+d} {hit.says}" + "".join(f"\n      line {e.line}: “{e.text}”" for e in hit.evidence)
                  for hit in score.hits]
        blocks.append(f"{score.name}\n" + ("\n".join(quotes) if quotes else "  no signal"))
    return "\n".join(blocks)


def unique_citations(debrief) -> list[tuple]:
    """Each cited passage once, with the skills it speaks to."""
    names = {score.skill: score.name.lower() for score in debrief.scores}
    by_chunk: dict[str, tuple] = {}
    for citation in debrief.guidance:
        first, skills = by_chunk.get(citation.chunk_id, (citation, []))
        by_chunk[citation.chunk_id] = (first, skills + [names.get(citation.skill, citation.skill)])
    return [(citation, ", ".join(skills)) for citation, skills in by_chunk.values()]
