"""Prompt templates as data: prompts/*.toml, validated, with declared variables checked both ways."""

import string
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from coach import paths
from coach.errors import PromptError
from coach.formats.toml_files import load_toml_as
from coach.llm.base import ChatMessage


class PromptTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    variables: list[str]
    system: str
    user: str
    no_guidance: str = ""  # fixed text for when retrieval finds nothing relevant
    cite_again: str = ""  # added after the instruction when an answer cited no passage, for one more try
    stage_notes: dict[str, str] = {}  # per-turn notes a role-play prompt picks from by state
    fallback_reply: str = ""  # said in character when a role-play reply fails the guard twice
    probe_openers: str = ""  # a role-play reply to a line that tests the machine starts with one of these
    pushback_openers: str = ""  # a role-play reply to advice given too early starts with one of these
    dismissal_openers: str = ""  # a role-play reply to a mentor who brushed the mentee off starts with one of these
    concern_openers: str = ""  # a role-play reply that is to tell the hidden concern starts with one of these

    @model_validator(mode="after")
    def _placeholders_match_declaration(self) -> "PromptTemplate":
        used = placeholders(self.system) | placeholders(self.user)
        if used != set(self.variables):
            raise ValueError(f"placeholders {sorted(used)} differ from declared variables {sorted(self.variables)}")
        return self

    def render(self, **values: str) -> list[ChatMessage]:
        missing = set(self.variables) - set(values)
        unknown = set(values) - set(self.variables)
        if missing or unknown:
            raise PromptError(f"Prompt '{self.name}' got wrong variables (missing: {sorted(missing)}, "
                              f"unknown: {sorted(unknown)}); this is a bug in coach, please report it.")
        return [ChatMessage(role="system", content=self.system.strip().format(**values)),
                ChatMessage(role="user", content=self.user.strip().format(**values))]


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def load_prompt(name: str, folder: Path | None = None) -> PromptTemplate:
    return load_toml_as((folder or paths.prompts_dir()) / f"{name}.toml", PromptTemplate, PromptError)
