"""The domain: grounded Q&A (Ask), the role-play (practice), the debrief, scenarios and history.
Never imports textual, chromadb or llama_cpp (tests/test_layers.py checks)."""
