"""The domain: grounded Q&A (Ask) and, later, practice and debrief. Never imports textual."""
