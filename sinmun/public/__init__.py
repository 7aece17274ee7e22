"""Interface: the reader's site. Views parse the request, call newsroom selectors, render."""
