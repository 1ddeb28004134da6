"""Development-only pages (registered only when DEV_MAILBOX is on)."""
