"""The corpus folder a trainer works in: guidance/, scenarios/, evals/ and approvals.toml. By default
it lives in the data dir and is seeded from the shipped corpus the first time it is needed."""

import shutil
from pathlib import Path

import tomli_w

from coach import paths
from coach.errors import CorpusError
from coach.formats.toml_files import read_toml

SEEDED_PARTS = ("guidance", "scenarios", "evals")


class CorpusWorkspace:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def guidance_dir(self) -> Path:
        return self.root / "guidance"

    @property
    def scenarios_dir(self) -> Path:
        return self.root / "scenarios"

    @property
    def questions_file(self) -> Path:
        return self.root / "evals" / "questions.toml"

    @property
    def approvals_file(self) -> Path:
        return self.root / "approvals.toml"

    def ensure(self) -> bool:
        """Seed an absent corpus folder from the shipped corpus; True if it was seeded now."""
        if self.guidance_dir.is_dir():
            return False
        if self.root.exists() and any(self.root.iterdir()):
            raise CorpusError(f"The corpus folder {self.root} has no guidance/ folder; point --corpus at a "
                              "corpus (with guidance/ inside) or at an empty folder to start one.")
        shipped = paths.shipped_corpus_dir()
        try:
            for part in SEEDED_PARTS:
                shutil.copytree(shipped / part, self.root / part, dirs_exist_ok=True)
        except OSError as error:
            raise CorpusError(f"Could not create the corpus folder {self.root} ({error.strerror}).") from None
        return True

    def approvals(self) -> dict[str, str]:
        """doc_id -> the content hash a trainer approved (an edited file needs approving again)."""
        approved = read_toml(self.approvals_file, CorpusError, missing_ok=True).get("approved", {})
        if not isinstance(approved, dict):
            raise CorpusError(f"{self.approvals_file} has no [approved] table; fix or delete it.")
        return dict(approved)

    def set_approval(self, doc_id: str, content_hash: str | None) -> None:
        approved = self.approvals()
        if content_hash is None:
            approved.pop(doc_id, None)
        else:
            approved[doc_id] = content_hash
        temporary = self.approvals_file.with_suffix(".toml.tmp")
        temporary.write_text("# Documents a trainer approved after quarantine, by content hash.\n"
                             + tomli_w.dumps({"approved": dict(sorted(approved.items()))}), encoding="utf-8")
        temporary.replace(self.approvals_file)
