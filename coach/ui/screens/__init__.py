"""Screens: the Ask screen, the first-run screen and the passage viewer."""
