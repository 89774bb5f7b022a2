"""The Textual app: thin screens over the coaching services. Never imports chromadb or llama_cpp."""
