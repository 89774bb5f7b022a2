"""The Progress screen: each practised skill with its scores over sessions (and drills), the moving
average and trend, and what to practise next. Moving along the chart shows a session; Enter opens
its debrief. Ctrl+D starts a drill from your own weak lines."""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from coach.formats.display import display_safe
from coach.ui.errors import describe
from coach.ui.widgets.score_chart import ChartPoint, ScoreChart
from coach.ui.widgets.status_line import StatusLine

TREND_ARROWS = {"improving": "↗", "steady": "→", "slipping": "↘", "too few sessions": "·"}
LEGEND = "● session score   ◆ drill: share of lines passed   avg: moving average of the last 3"


class ProgressScreen(Screen):
    BINDINGS = [Binding("ctrl+d", "drill", "Drill"), Binding("ctrl+o", "open_point", "Open debrief")]

    def __init__(self) -> None:
        super().__init__()
        self.report = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", markup=False, id="next-suggestion")
        yield Static("", markup=False, id="progress-empty")
        with Horizontal(id="progress-body"):
            yield OptionList(id="skill-list")
            with Vertical(id="skill-detail"):
                yield Static("", markup=False, id="skill-title")
                yield ScoreChart(id="chart")
                yield Static(LEGEND, markup=False, id="chart-legend")
                yield Static("", markup=False, id="point-detail")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.query_one(StatusLine).show("reading your practice history…")
        self._read_history()

    @work(thread=True, exclusive=True, group="progress")
    def _read_history(self) -> None:
        """A long history takes a while to read and score: off the UI thread, so keys still work."""
        try:
            report = self.app.services.progress().report()
        except Exception as error:  # an unreadable history: say so, never an empty chart that looks like no practice
            self.app.call_from_thread(self._unreadable, describe(error))
            return
        self.app.call_from_thread(self._show_report, report)

    def _unreadable(self, reason: str) -> None:
        self.notify(reason, severity="error")
        self.query_one(StatusLine).show("the session history could not be read")

    def _show_report(self, report) -> None:
        if report == self.report:  # back from a debrief: keep the place on the chart
            self.query_one(StatusLine).show(self._status_text())
            return
        self.report = report
        from coach.coaching.progress.service import NO_SESSIONS

        self._show_next()
        self.query_one("#progress-body").display = not self.report.empty
        self.query_one("#progress-empty", Static).display = self.report.empty
        if self.report.empty:  # one friendly sentence, not an empty chart
            self.query_one("#progress-empty", Static).update(NO_SESSIONS)
        else:
            self._fill_skills()
        self.query_one(StatusLine).show(self._status_text())

    def _status_text(self) -> str:
        if self.report is None or self.report.empty:
            return "no debriefed sessions yet"
        sessions = len({p.session_id for s in self.report.skills for p in s.points})
        return f"{sessions} debriefed session(s) · ←/→ move along the chart, Enter opens a debrief"

    def _show_next(self) -> None:
        suggestion = self.report.next
        text = f"Next: {suggestion.reason}  (Practise with F6)" if suggestion else ""
        self.query_one("#next-suggestion", Static).update(display_safe(text))
        self.query_one("#next-suggestion", Static).display = bool(text)

    def _fill_skills(self) -> None:
        from coach.coaching.progress.export import score_marks

        skills = self.query_one("#skill-list", OptionList)
        highlighted = skills.highlighted or 0
        skills.clear_options()
        for skill in self.report.skills:
            marks = score_marks([p.score for p in skill.points][-8:])
            skills.add_option(Option(Content(f"{skill.name}\n  {marks:<8} {skill.moving_average[-1]:.1f} "
                                             f"{TREND_ARROWS[skill.trend]}"), id=skill.skill))
        skills.highlighted = min(highlighted, len(self.report.skills) - 1)

    @on(OptionList.OptionHighlighted, "#skill-list")
    def show_skill(self, event: OptionList.OptionHighlighted) -> None:
        skill = self.report.skills[event.option_index]
        self.query_one("#skill-title", Static).update(display_safe(
            f"{skill.name} · {skill.sessions} session(s) · last practised {skill.last_practised} · "
            f"moving average {skill.moving_average[-1]:.1f}/2 · {skill.trend}"))
        self.query_one(ScoreChart).show(chart_points(skill))

    @on(OptionList.OptionSelected, "#skill-list")
    def to_chart(self) -> None:
        self.query_one(ScoreChart).focus()

    @on(ScoreChart.Highlighted)
    def show_point(self, event: ScoreChart.Highlighted) -> None:
        if isinstance(event, ScoreChart.Selected):
            return
        self.query_one("#point-detail", Static).update(display_safe(self._describe(event.point)))

    def _describe(self, point: ChartPoint) -> str:
        if point.kind == "drill":
            return f"{point.started[:16].replace('T', ' ')} · drill · {point.note}"
        scenario = self._scenario_of(point.key)
        return (f"{point.started[:16].replace('T', ' ')} · {self.report.titles.get(scenario, scenario)} · "
                f"{point.score:.0f}/2 · Enter opens its debrief")

    def _scenario_of(self, session_id: str) -> str:
        return next(p.scenario for s in self.report.skills for p in s.points if p.session_id == session_id)

    @on(ScoreChart.Selected)
    def open_point(self, event: ScoreChart.Selected) -> None:
        if event.point.kind == "drill":
            self.notify("A drill has no debrief; its lines and results are saved with your progress.")
            return
        self.open_debrief(event.point.key)

    def action_open_point(self) -> None:
        self.query_one(ScoreChart).action_open()

    def open_debrief(self, session_id: str) -> None:
        from coach.coaching.debrief.service import Debrief
        from coach.ui.screens.debrief import DebriefScreen

        try:
            debrief = Debrief.model_validate(self.app.services.history().record(session_id).debrief)
        except Exception as error:  # deleted from the command line meanwhile, or a record too odd to show
            self.notify(describe(error), severity="error")
            return
        self.app.push_screen(DebriefScreen(saved=debrief), lambda again: self._again(debrief.scenario_id) if again else None)

    def _again(self, scenario_id: str) -> None:
        try:
            self.app.practise(self.app.services.scenario(scenario_id))
        except Exception as error:
            self.notify(describe(error), severity="error")

    def action_drill(self) -> None:
        from coach.ui.screens.drill import DrillScreen

        self.app.push_screen(DrillScreen())


def chart_points(skill) -> list[ChartPoint]:
    """Sessions and drill sittings on one time line, oldest first."""
    sessions = [ChartPoint(kind="session", key=p.session_id, started=p.started, score=p.score, average=average)
                for p, average in zip(skill.points, skill.moving_average)]
    drills = [ChartPoint(kind="drill", key=d.drill_id, started=d.started, score=d.score,
                         note=f"{d.passed} of {d.tried} lines passed") for d in skill.drills]
    return sorted(sessions + drills, key=lambda point: point.started)
