"""Practice: the role-played mentee, the listening state it reacts to, and the guard on its replies."""
