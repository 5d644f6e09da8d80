"""Helpers shared by the end-to-end suites: server processes, raw RESP sockets, differential runs."""
