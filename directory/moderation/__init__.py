"""Moderation: the queue, decisions with reason codes, risk signals, the audit log."""
