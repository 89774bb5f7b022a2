"""The Debrief screen: the rubric table at once, the mentor's own words as evidence, the guidance
passages to open, then the model's strengths, tries and rewrite as they are written."""

import time
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

from coach.ui.errors import errors_as_notices
from coach.ui.screens.passage import PassageScreen
from coach.ui.widgets.status_line import StatusLine

REFRESH_SECONDS = 0.3
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
            self.show_narrative(self.debrief, None)
        else:
            self.writing = True
            self.query_one(StatusLine).show("Scoring the conversation…")
            self.run_debrief(self._stop)

    @work(thread=True, exclusive=True, group="debrief")
    def run_debrief(self, stop: Event) -> None:
        last = 0.0
        with errors_as_notices(self, timeout=15):
            for update in self.app.services.debrief_service().run(self.session_id, self.scenario, stop):
                if self.debrief is None:
                    self.app.call_from_thread(self._scored, update.debrief)
                elif update.done:
                    self.app.call_from_thread(self._finished, update.debrief)
                elif time.monotonic() - last >= REFRESH_SECONDS:
                    last = time.monotonic()
                    self.app.call_from_thread(self.show_narrative, update.debrief, update.partial)
        self.app.call_from_thread(self._not_writing)

    def _scored(self, debrief) -> None:
        self.debrief = debrief
        self.show_scores(debrief)
        self.query_one("#narrative", Markdown).update("*Writing the debrief… (Esc stops; the scores stay)*")
        self.query_one(StatusLine).show("Writing the debrief with the local model…")

    def _finished(self, debrief) -> None:
        self.debrief = debrief
        self.show_narrative(debrief, None)
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

    def show_narrative(self, debrief, partial: dict | None) -> None:
        self.query_one("#narrative", Markdown).update(narrative_markdown(debrief, partial))

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


def narrative_markdown(debrief, partial: dict | None) -> str:
    """The write-up as Markdown, from the finished narrative or as much as has been written."""
    narrative = debrief.narrative.model_dump() if debrief.narrative else (partial or {})
    if not narrative:
        return f"*{debrief.narrative_note}*" if debrief.narrative_note else "*Writing the debrief…*"
    parts = ["### Strengths"] + [f"- {p.get('point', '')} (line {p.get('line', '?')})" for p in narrative.get("strengths", [])]
    parts += ["", "### Try next time"] + [f"- {p.get('point', '')} (line {p.get('line', '?')})" for p in narrative.get("tries", [])]
    if narrative.get("rewrite"):
        weakest = f" instead of “{debrief.weakest.text}”" if debrief.weakest else ""
        parts += ["", f"### You could say{weakest}", "", f"> {narrative['rewrite']}"]
    elif debrief.narrative_note:
        parts += ["", f"*{debrief.narrative_note}*"]
    return "\n".join(parts)
