"""The trainer's corpus: a git-friendly folder of notes, scenarios and golden questions, with
import, removal, quarantine of suspicious text, lint and retrieval checks."""
