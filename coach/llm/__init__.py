"""Chat backends behind one small Protocol: the local llama.cpp backend, and fakes for UI tests."""
