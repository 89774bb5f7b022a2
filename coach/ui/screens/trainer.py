"""The Trainer screen: the corpus's documents with status and tags, a chunk preview, live search
(what a mentor would get), the golden-question check, quarantine approval and sync progress."""

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, ProgressBar, Static, TabbedContent, TabPane

from coach.formats.display import display_safe
from coach.ui.errors import describe
from coach.ui.widgets.status_line import StatusLine

SEARCH_K = 6


class TrainerScreen(Screen):
    BINDINGS = [Binding("ctrl+s", "sync", "Sync"), Binding("ctrl+a", "approve", "Approve"),
                Binding("ctrl+k", "check", "Check")]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list = []
        self.check_report = None

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="trainer-tabs"):
            with TabPane("Documents", id="tab-documents"):
                with Horizontal(id="documents-body"):
                    yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
                    with VerticalScroll(id="chunk-preview"):
                        yield Static("", markup=False, id="preview-text")
                with Horizontal(id="document-actions"):
                    yield Button("Sync", id="sync")
                    yield Button("Approve", id="approve", variant="warning")
                    yield ProgressBar(id="sync-progress", show_eta=False)
            with TabPane("Search", id="tab-search"):
                yield Input(placeholder="Type what a mentor might ask…", id="trainer-search")
                yield DataTable(id="search-results", cursor_type="row")
            with TabPane("Check", id="tab-check"):
                yield Button("Run the golden questions", id="check", variant="primary")
                yield Static("", markup=False, id="check-summary")
                yield DataTable(id="misses", cursor_type="row")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#documents", DataTable).add_columns("id", "status", "chunks", "tags", "title")
        self.query_one("#search-results", DataTable).add_columns("rank", "score", "note", "passage")
        self.query_one("#misses", DataTable).add_columns("question", "expected", "got instead")
        self.reload()

    def reload(self) -> None:
        self.load_documents()

    @work(thread=True, exclusive=True, group="trainer-list")
    def load_documents(self) -> None:
        try:
            rows = self.app.services.corpus().status()
            self.app.call_from_thread(self._show_documents, rows)
        except Exception as error:
            self.app.call_from_thread(self.notify, describe(error), severity="error")

    def _show_documents(self, rows: list) -> None:
        self.rows = rows
        table = self.query_one("#documents", DataTable)
        table.clear()
        for row in rows:
            table.add_row(Text(row.doc_id or row.path), Text(row.status), Text(str(row.chunks)),
                          Text(", ".join(row.tags)), Text(row.title), key=row.doc_id or row.path)
        counts = {s: sum(r.status == s for r in rows) for s in ("indexed", "stale", "quarantined", "error")}
        self.query_one(StatusLine).show(" · ".join(f"{n} {s}" for s, n in counts.items()))

    @on(DataTable.RowHighlighted, "#documents")
    def preview(self, event: DataTable.RowHighlighted) -> None:
        row = self._row(event.cursor_row)
        if row is None:
            return
        if row.status in ("quarantined", "error"):
            self.query_one("#preview-text", Static).update(f"{row.status.upper()}: {row.reason}")
            if row.status == "error":
                return
        self.show_chunks(row)

    @work(thread=True, exclusive=True, group="trainer-preview")
    def show_chunks(self, row) -> None:
        from coach.corpus.service import chunk_views

        services = self.app.services
        try:  # only the highlighted note is read: this runs on every cursor move
            chunks = chunk_views(services.corpus().document_at(row.path), services.embedder.count_tokens)
        except Exception as error:  # the file changed or vanished since the list was read
            self.app.call_from_thread(self.notify, describe(error), severity="warning")
            return
        header = f"{row.title}\n{row.source}\n{row.status}{': ' + row.reason if row.reason else ''}\n"
        body = "\n\n".join(f"— chunk {c.position} · {c.tokens} tokens\n{c.text}" for c in chunks)
        preview = display_safe(header + "\n" + body)  # a note may hold escape codes that rename the window
        self.app.call_from_thread(self.query_one("#preview-text", Static).update, preview)

    def _row(self, index: int):
        return self.rows[index] if 0 <= index < len(self.rows) else None

    @on(Input.Changed, "#trainer-search")
    def search(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.run_search(event.value)

    @work(thread=True, exclusive=True, group="trainer-search")
    def run_search(self, query: str) -> None:
        try:
            passages = self.app.services.store.search(query, SEARCH_K)
        except Exception as error:  # a worker error must become a notice, never an exit
            self.app.call_from_thread(self.notify, describe(error), severity="error")
            return
        self.app.call_from_thread(self._show_results, passages)

    def _show_results(self, passages: list) -> None:
        table = self.query_one("#search-results", DataTable)
        table.clear()
        for p in passages:
            table.add_row(str(p.rank), f"{p.score:.3f}", Text(p.title), Text(" ".join(p.text.split())[:90]))

    @on(Button.Pressed, "#check")
    def action_check(self) -> None:
        self.query_one("#check-summary", Static).update("Running the golden questions…")
        self.run_check()

    @work(thread=True, exclusive=True, group="trainer-check")
    def run_check(self) -> None:
        from coach.retrieval.evaluation import check, load_questions

        services = self.app.services
        try:
            report = check(services.store, load_questions(services.workspace.questions_file), services.settings.top_k)
            self.app.call_from_thread(self._show_check, report)
        except Exception as error:
            self.app.call_from_thread(self.notify, describe(error), severity="error")

    def _show_check(self, report) -> None:
        self.check_report = report
        threshold = self.app.services.settings.min_recall
        verdict = "passes" if report.recall >= threshold else "is BELOW"
        self.query_one("#check-summary", Static).update(
            f"recall@{report.k} {report.recall:.3f} {verdict} min_recall {threshold} · MRR {report.mrr:.3f} · "
            f"{report.questions} questions, {len(report.misses)} missed")
        table = self.query_one("#misses", DataTable)
        table.clear()
        for miss in report.misses:
            table.add_row(Text(miss.question), Text(", ".join(miss.expected)), Text(", ".join(miss.got)))

    @on(Button.Pressed, "#approve")
    def action_approve(self) -> None:
        table = self.query_one("#documents", DataTable)
        row = self._row(table.cursor_row)
        if row is None or row.status != "quarantined":
            self.notify("Highlight a quarantined document to approve it.", severity="warning")
            return
        self.run_corpus_job(lambda corpus, progress: corpus.approve(row.doc_id), f"Approved {row.doc_id}.")

    @on(Button.Pressed, "#sync")
    def action_sync(self) -> None:
        self.run_corpus_job(lambda corpus, progress: corpus.sync(progress), "Synced.")

    @work(thread=True, exclusive=True, group="trainer-sync")
    def run_corpus_job(self, job, done: str) -> None:
        bar = self.query_one("#sync-progress", ProgressBar)

        def progress(finished: int, total: int, _doc: str) -> None:
            self.app.call_from_thread(bar.update, total=max(total, 1), progress=finished)

        try:
            report = job(self.app.services.corpus(), progress)
            self.app.call_from_thread(self.notify, f"{done} {report.summary()}")
        except Exception as error:
            self.app.call_from_thread(self.notify, describe(error), severity="error")
        self.app.call_from_thread(self.reload)
