"""Which notes this corpus folder has put on a shared index, so its sync deletes only those.

A trainer's folder is not the whole of a shared index: another trainer may have added a note this
folder never had. A sync may delete a stored note only when this folder proves it removed: the
note is still here (and quarantined now), or this folder synced it before and the file is gone.
The record is a dot-file in the corpus folder (always local), one list of ids per index address.
"""

import json
from pathlib import Path

MANIFEST_FILE = ".synced-to-servers.json"


class SyncManifest:
    def __init__(self, corpus_root: Path, location: str) -> None:
        self.path, self.location = corpus_root / MANIFEST_FILE, location

    def synced_ids(self) -> set[str]:
        return set(self._all().get(self.location, []))

    def save(self, doc_ids: set[str]) -> None:
        everything = self._all()
        everything[self.location] = sorted(doc_ids)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(everything, indent=1), encoding="utf-8")
        temporary.replace(self.path)

    def _all(self) -> dict[str, list[str]]:
        try:
            found = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, or damaged: then this sync deletes nothing it cannot prove
            return {}
        return found if isinstance(found, dict) else {}
