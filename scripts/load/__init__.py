"""Mixed traffic through the production front door (`make load`)."""
