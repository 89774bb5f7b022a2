"""Retrieval: load and chunk documents, embed them offline, and search them in ChromaDB."""
