"""Reading and showing text coach did not write: TOML data files, and text made safe to display."""
