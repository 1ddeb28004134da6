"""Public pages anyone can read: home, and (later) transparency and how reviews work."""
