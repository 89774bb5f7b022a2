"""The Trainer screen driven by Pilot with the real index: search, check, quarantine and approve."""

from textual.widgets import DataTable, Input

from coach.ui.screens.trainer import TrainerScreen
from tests.integration.test_corpus import PLANTED
from tests.ui.driving import settle, started


async def test_search_check_and_approve(make_services):
    services, _ = make_services()
    services.corpus().sync()  # the index follows the workspace corpus (seeded from the shipped one)
    (services.workspace.guidance_dir / "planted.md").write_text(PLANTED)
    services.corpus().sync()
    async with started(services, size=(140, 44)) as (app, pilot):
        await pilot.press("f8")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TrainerScreen)
        statuses = {r.doc_id: r.status for r in screen.rows}
        assert statuses["planted"] == "quarantined" and statuses["confidentiality"] == "indexed"
        assert screen.query_one("#documents", DataTable).row_count == 35

        screen.query_one("#trainer-tabs").active = "tab-search"
        await pilot.pause()
        screen.query_one("#trainer-search", Input).value = "how do I handle favoritism"
        await settle(app, pilot)
        results = screen.query_one("#search-results", DataTable)
        assert results.row_count == 6 and str(results.get_row_at(0)[2]) == "When mentoring one person looks like favouritism"

        screen.query_one("#trainer-tabs").active = "tab-check"
        await pilot.pause()
        await pilot.click("#check")
        await settle(app, pilot)
        assert screen.check_report.recall >= 0.85 and "recall@4" in str(screen.query_one("#check-summary").render())
        assert screen.query_one("#misses", DataTable).row_count == len(screen.check_report.misses)

        screen.query_one("#trainer-tabs").active = "tab-documents"
        await pilot.pause()
        table = screen.query_one("#documents", DataTable)
        table.move_cursor(row=[r.doc_id for r in screen.rows].index("planted"))
        await settle(app, pilot)
        assert "quarantined: asks the model to ignore its instructions" in str(screen.query_one("#preview-text").render())
        await pilot.press("ctrl+a")
        await settle(app, pilot)
        await settle(app, pilot)  # the approval's sync, then the list it reloads
        assert {r.doc_id: r.status for r in screen.rows}["planted"] == "indexed"
        assert services.store.search("pineapple rota lunch", 1)[0].doc_id == "planted"
