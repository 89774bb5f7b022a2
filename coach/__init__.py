"""coach: a local, offline practice partner for people who are about to become mentors."""

__version__ = "0.1.0"
