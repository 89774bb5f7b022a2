"""The layers, enforced: each module is imported in a fresh interpreter and what it dragged in is
checked (in the manner of harlequin's import-hygiene test). A lazy import inside a function is
allowed; what a module loads just by being imported is not."""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "coaching": {"textual", "chromadb", "llama_cpp"},
    "retrieval": {"textual"},
    "sessions": {"textual"},
    "llm": {"textual"},
    "corpus": {"textual"},
    "ui": {"llama_cpp"},
}
PROBE = "import importlib, json, sys; importlib.import_module(sys.argv[1]); print(json.dumps(sorted(sys.modules)))"


def modules_of(package: str, root: Path = REPO) -> list[str]:
    folder = root / "coach" / package
    return sorted(".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
                  for path in folder.rglob("*.py"))


def loaded_by(module: str, root: Path = REPO) -> set[str]:
    """Top-level packages that importing `module` loads, in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", PROBE, module], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{module} does not import: {done.stderr.strip().splitlines()[-1:]}"
    return {name.split(".")[0] for name in json.loads(done.stdout)}


def _violations(package: str) -> dict[str, list[str]]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = dict(zip(modules_of(package), pool.map(loaded_by, modules_of(package))))
    return {module: sorted(FORBIDDEN[package] & names) for module, names in found.items() if FORBIDDEN[package] & names}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_loads_what_its_layer_must_not(package):
    assert modules_of(package), f"coach/{package} has no modules; the layer map is out of date"
    assert _violations(package) == {}


def test_the_probe_sees_a_forbidden_import(tmp_path):
    """The check itself can fail: a domain module that imports chromadb is caught."""
    (tmp_path / "coach" / "coaching").mkdir(parents=True)
    (tmp_path / "coach" / "__init__.py").write_text("")
    (tmp_path / "coach" / "coaching" / "__init__.py").write_text("")
    (tmp_path / "coach" / "coaching" / "leaky.py").write_text("import chromadb\n")
    assert modules_of("coaching", tmp_path) == ["coach.coaching", "coach.coaching.leaky"]
    assert "chromadb" in loaded_by("coach.coaching.leaky", tmp_path)
    assert "chromadb" not in loaded_by("coach.coaching", tmp_path)


ABOVE = {  # what each layer must never import, even lazily inside a function
    "coaching": ("coach.ui", "coach.cli", "coach.bench", "coach.startup", "coach.services"),
    "ui": ("coach.cli", "coach.bench"),
    "startup": ("coach.ui", "coach.cli", "coach.bench"),
    **{lower: ("coach.coaching", "coach.ui", "coach.cli", "coach.bench", "coach.startup", "coach.services")
       for lower in ("retrieval", "llm", "sessions", "corpus", "assets", "formats")},
}


def upward_imports(package: str, root: Path = REPO) -> list[str]:
    found = []
    for path in (root / "coach" / package).rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1 and words[1].startswith(ABOVE[package]):
                found.append(f"{path.relative_to(root)}: {line.strip()}")
    return found


@pytest.mark.parametrize("package", sorted(ABOVE))
def test_no_upward_imports(package):
    assert upward_imports(package) == []


def test_an_upward_import_is_caught(tmp_path):
    (tmp_path / "coach" / "retrieval").mkdir(parents=True)
    (tmp_path / "coach" / "retrieval" / "bad.py").write_text("def f():\n    from coach.coaching.ask import AskService\n")
    assert upward_imports("retrieval", tmp_path) == ["coach/retrieval/bad.py: from coach.coaching.ask import AskService"]
