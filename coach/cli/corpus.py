"""`coach corpus`: sync, search, add, list, show, remove, approve, lint and check the trainer's corpus."""

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from coach.cli.common import err, make_services, out
from coach.errors import CoachError

corpus_app = typer.Typer(help="The guidance corpus: sync, search, add, list, show, remove, approve, lint, check.",
                         no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]



def _sync(services) -> None:
    from coach.cli.progress import count_progress

    with count_progress(err, "indexing") as update:
        report = services.corpus().sync(update)
    out.print(f"Synced: {report.summary()}")
    for path, problem in report.problems.items():
        out.print(f"  could not read {path}: {problem}")


@corpus_app.command("sync")
def corpus_sync() -> None:
    """Make the index match the corpus folder: embed new and changed notes, drop removed ones."""
    _sync(make_services())


@corpus_app.command("search")
def corpus_search(query: str, k: Annotated[int, typer.Option("-k", min=1, max=50, help="How many passages.")] = 4,
                  as_json: JsonFlag = False) -> None:
    """Show what retrieval returns for a query: rank, score, title, source and text."""
    passages = make_services().store.search(query, k)
    if as_json:
        keys = {"rank", "score", "doc_id", "title", "source", "text"}
        print(json.dumps([p.model_dump(include=keys) for p in passages], indent=2, ensure_ascii=False))
        return
    for p in passages:
        out.print(f"#{p.rank}  {p.score:.3f}  {p.title}  ({p.source})")
        out.print(f"    {p.text}\n")


@corpus_app.command("add")
def corpus_add(paths: Annotated[list[Path], typer.Argument(help="Files or folders: Markdown, text, HTML, PDF, DOCX.")],
               tag: Annotated[Optional[list[str]], typer.Option("--tag", help="A tag for every added note (repeatable).")] = None,
               title: Annotated[Optional[str], typer.Option("--title", help="Title (for a single file).")] = None,
               source: Annotated[Optional[str], typer.Option("--source", help="Where the text comes from (URL or name).")] = None) -> None:
    """Copy documents into the corpus as Markdown notes with front matter, then sync."""
    from coach.corpus.importing import NoteInfo, import_paths

    if title and len(paths) != 1:
        raise CoachError("--title names one note; give a single file, or leave --title out.")
    services = make_services()
    report = import_paths(paths, services.workspace, NoteInfo(title=title, tags=tag or [], source=source))
    for item in report.imported:
        out.print(f"{'updated' if item.replaced else 'added'}  {item.doc_id}  ({item.source_path})")
    for item in report.skipped:
        out.print(f"skipped  {item.source_path}: {item.reason}")
    if report.imported:
        _sync(services)
    if problem := report.problem():  # anything skipped is a failure a script must notice
        raise CoachError(problem)


@corpus_app.command("list")
def corpus_list(as_json: JsonFlag = False) -> None:
    """Every document: title, tags, chunk count, status (indexed, stale, quarantined, error), source."""
    rows = make_services().corpus().status()
    if as_json:
        print(json.dumps([r.model_dump() for r in rows], indent=2, ensure_ascii=False))
        return
    table = Table("id", "status", "chunks", "title", "tags", "source")
    for r in rows:
        table.add_row(r.doc_id or r.path, r.status, str(r.chunks), r.title, ", ".join(r.tags), r.source)
    out.print(table)
    for r in rows:
        if r.reason and r.status in ("quarantined", "error"):
            out.print(f"{r.status}: {r.doc_id or r.path}: {r.reason}")


@corpus_app.command("show")
def corpus_show(doc_id: str, as_json: JsonFlag = False) -> None:
    """A document's passages as retrieval sees them, with token counts."""
    services = make_services()
    chunks = services.corpus().chunks(doc_id, services.embedder.count_tokens)
    if as_json:
        print(json.dumps([c.model_dump() for c in chunks], indent=2, ensure_ascii=False))
        return
    for c in chunks:
        out.print(f"--- chunk {c.position} · {c.tokens} tokens{' · ' + c.heading if c.heading else ''}")
        out.print(c.text + "\n")


@corpus_app.command("remove")
def corpus_remove(doc_id: str) -> None:
    """Delete a document's file and its passages; it is never retrieved again."""
    removed = make_services().corpus().remove(doc_id)
    out.print(f"Removed {doc_id} ({removed.path}) and its passages.")


@corpus_app.command("approve")
def corpus_approve(doc_id: str) -> None:
    """Let a quarantined document into retrieval (this version only; an edit needs approving again)."""
    report = make_services().corpus().approve(doc_id)
    out.print(f"Approved {doc_id}. Synced: {report.summary()}")


@corpus_app.command("lint")
def corpus_lint(as_json: JsonFlag = False) -> None:
    """Front matter problems, untagged notes, oversized and near-duplicate passages, notes no golden
    question retrieves, quarantined documents. Exits 1 when there are errors."""
    from coach.corpus.lint import lint
    from coach.retrieval.evaluation import load_questions

    services = make_services()
    questions = load_questions(services.workspace.questions_file) if services.workspace.questions_file.exists() else []
    findings = lint(services.corpus(), services.embedder, questions, services.settings.top_k)
    if as_json:
        print(json.dumps([f.model_dump() for f in findings], indent=2, ensure_ascii=False))
    else:
        for f in findings:
            out.print(f"{f.severity:<7} {f.doc}: {f.problem}")
        errors = sum(f.severity == "error" for f in findings)
        out.print(f"{errors} error(s), {len(findings) - errors} warning(s).")
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(1)


@corpus_app.command("check")
def corpus_check(questions: Annotated[Optional[Path], typer.Option("--questions", help="Golden questions TOML.")] = None,
                 k: Annotated[int, typer.Option("-k", min=1, max=50, help="Top k passages.")] = 4,
                 as_json: JsonFlag = False) -> None:
    """Run the golden questions: recall@k, MRR and the misses. Exits 1 below min_recall."""
    from coach.retrieval.evaluation import check, load_questions

    services = make_services()
    report = check(services.store, load_questions(questions or services.workspace.questions_file), k)
    passed = report.recall >= services.settings.min_recall
    if as_json:
        print(json.dumps({**report.model_dump(exclude={"retrieved"}), "min_recall": services.settings.min_recall,
                          "passed": passed}, indent=2, ensure_ascii=False))
    else:
        out.print(f"recall@{k} {report.recall:.3f}  MRR {report.mrr:.3f}  over {report.questions} questions "
                  f"(min_recall {services.settings.min_recall})")
        for miss in report.misses:
            out.print(f"miss: {miss.question}\n      expected {', '.join(miss.expected)}; got {', '.join(miss.got) or 'nothing'}")
    if not passed:
        raise typer.Exit(1)
