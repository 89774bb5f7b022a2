"""Progress per skill over sessions, what to practise next, and drills from the mentor's own weak lines."""
