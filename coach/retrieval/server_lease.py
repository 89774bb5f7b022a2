"""Writers to a shared Chroma server take turns through a lease kept on the server itself.

Chroma has no lock or compare-and-swap, but `add` of an id that already exists is ignored, so the
first writer of an id owns it. Leases are numbered generations (`lease-000000000007`): to take the
lease, a writer reads the newest generation, and if it is released or expired, adds the next one
and reads it back; only one writer's add can create it. A writer that read an old generation (and
added a number already pruned) sees a newer generation on the re-read and backs off. A holder
renews its expiry while it works, so a killed writer's lease lapses after LEASE_SECONDS.
"""

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import chromadb

from coach.errors import StoreBusy

LEASE_COLLECTION = "coach-sync-leases"
LEASE_SECONDS = 60.0  # a killed sync blocks the others this long at most
RENEW_SECONDS = 15.0
POLL_SECONDS = 0.5
KEEP_GENERATIONS = 20  # older lease records are pruned; the re-read check makes pruning safe


class ServerLease:
    def __init__(self, client: chromadb.ClientAPI, location: str, wait_seconds: float) -> None:
        self._leases = client.get_or_create_collection(LEASE_COLLECTION, embedding_function=None)
        self.location, self.wait_seconds = location, wait_seconds
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    @contextmanager
    def held(self) -> Iterator[None]:
        generation = self._acquire()
        stop_renewing = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(generation, stop_renewing), daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop_renewing.set()
            renewer.join()
            self._write(generation, released=True)

    def _acquire(self) -> int:
        deadline = time.monotonic() + self.wait_seconds
        while True:
            newest, record = self._newest()
            if record is None or record["released"] or record["expires"] < time.time():
                if self._try_take(newest + 1):
                    return newest + 1
                record = self._newest()[1] or record
            if time.monotonic() >= deadline:
                who = record["holder"].split(":")[0] if record else "another trainer"
                raise StoreBusy(f"A sync from {who} is writing to the index at {self.location}; "
                                "wait for it to finish and try again.")
            time.sleep(POLL_SECONDS)

    def _try_take(self, generation: int) -> bool:
        self._leases.add(ids=[_lease_id(generation)], embeddings=[[1.0]], metadatas=[self._record(False)])
        newest, record = self._newest()
        if newest == generation and record is not None and record["holder"] == self.holder:
            self._prune(generation)
            return True
        return False

    def _renew(self, generation: int, stop: threading.Event) -> None:
        while not stop.wait(RENEW_SECONDS):
            try:
                self._write(generation, released=False)
            except Exception:  # a missed renewal is retried; the lease only lapses after LEASE_SECONDS
                continue

    def _write(self, generation: int, released: bool) -> None:
        self._leases.update(ids=[_lease_id(generation)], metadatas=[self._record(released)])

    def _record(self, released: bool) -> dict:
        return {"holder": self.holder, "expires": time.time() + LEASE_SECONDS, "released": released}

    def _newest(self) -> tuple[int, dict | None]:
        found = self._leases.get(include=["metadatas"])
        if not found["ids"]:
            return 0, None
        generation, meta = max(zip((_generation(i) for i in found["ids"]), found["metadatas"]))
        return generation, meta

    def _prune(self, generation: int) -> None:
        """Generations are taken one after another, so dropping one old record per take keeps the list short."""
        if generation > KEEP_GENERATIONS:
            self._leases.delete(ids=[_lease_id(generation - KEEP_GENERATIONS)])


def _lease_id(generation: int) -> str:
    return f"lease-{generation:012d}"


def _generation(lease_id: str) -> int:
    return int(lease_id.removeprefix("lease-"))
