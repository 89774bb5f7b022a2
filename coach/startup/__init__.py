"""Starting coach: what a first run still needs, the one-app-per-data-folder lock, and the doctor."""
