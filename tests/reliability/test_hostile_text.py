"""Text that looks like terminal control or markup, from a note, a card or a model: it is shown as
plain text, never obeyed by the terminal and never parsed as markup."""

import shutil

from textual.widgets import DataTable, Static

from coach.formats.display import display_safe
from coach.ui.screens.trainer import TrainerScreen
from tests.conftest import REPO
from tests.reliability.cli import run_coach
from tests.ui.driving import started

ESCAPES = ["\x1b]0;HACKED\x07", "\x1b[2J", "\x1b]8;;https://evil.example\x1b\\click here\x1b]8;;\x1b\\", "\x9b31m"]
HOSTILE_NOTE = ("---\ntitle: Meeting rhythm\ntags: [cadence]\n---\n# Meeting rhythm\n\n"
                "Meet your mentee every two weeks and keep the time protected from other work. "
                + " ".join(ESCAPES) + " Agree the agenda together at the start of each meeting.\n")


def test_display_safe_keeps_words_and_drops_every_control_sequence():
    for sequence in ESCAPES:
        cleaned = display_safe(f"before {sequence} after")
        assert cleaned.startswith("before") and cleaned.endswith("after")
        assert not any(ch in cleaned for ch in "\x1b\x07\x9b")
    assert display_safe("tabs\tand\nnewlines stay, so does café and 日本") == "tabs\tand\nnewlines stay, so does café and 日本"
    assert display_safe("\u202egnp.exe") == "gnp.exe"  # a right-to-left override cannot disguise a name


def _corpus_with_hostile_note(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    (corpus / "guidance" / "hostile.md").write_text(HOSTILE_NOTE, encoding="utf-8")
    return corpus




def test_corpus_commands_never_print_escape_codes(tmp_path):
    corpus = _corpus_with_hostile_note(tmp_path)
    assert run_coach("--corpus", str(corpus), "corpus", "sync").returncode == 0
    for command in (["corpus", "list"], ["corpus", "show", "hostile"], ["corpus", "search", "meeting rhythm agenda"]):
        done = run_coach("--corpus", str(corpus), *command)
        assert done.returncode == 0, done.stderr
        for stream in (done.stdout, done.stderr):
            assert "\x1b" not in stream and "\x07" not in stream, command
    shown = run_coach("--corpus", str(corpus), "corpus", "show", "hostile").stdout
    assert "Agree the agenda together" in shown and "click here" in shown


async def test_the_trainer_preview_shows_a_hostile_note_as_plain_text(make_services):
    services, _ = make_services(index=False)
    (services.workspace.guidance_dir / "hostile.md").write_text(HOSTILE_NOTE, encoding="utf-8")
    services.corpus().sync()
    async with started(services, size=(140, 44)) as (app, pilot):
        await pilot.press("f8")
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, TrainerScreen)
        table = screen.query_one("#documents", DataTable)
        table.move_cursor(row=[r.doc_id for r in screen.rows].index("hostile"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        preview = str(screen.query_one("#preview-text", Static).render())
        assert "Agree the agenda together" in preview
        assert "\x1b" not in preview and "\x07" not in preview


def _card_with(tmp_path, services, **changes) -> None:
    text = (REPO / "corpus" / "scenarios" / "quiet-mentee.toml").read_text()
    for old, new in changes.items():
        text = text.replace(old, new)
    (services.workspace.scenarios_dir / "broken.toml").write_text(text)


async def test_a_card_that_looks_like_markup_is_a_readable_notice_and_the_app_lives_on(make_services, tmp_path):
    services, _ = make_services()
    _card_with(tmp_path, services, **{'"asked-open-questions", ': '"[/bold]", ', 'id = "quiet-mentee"': 'id = "Quiet mentee!"'})
    async with started(services) as (app, pilot):
        await pilot.press("f6")
        await pilot.pause()
        assert app.is_running
        notices = " ".join(str(n.message) for n in app._notifications)
        assert "broken.toml" in notices
        assert "[/bold]" in notices and "[a-z0-9]" in notices  # the id pattern, shown as written rather than eaten as markup
