"""`python -m coach` runs the same command line as the `coach` script."""

from coach.cli import main

main()
