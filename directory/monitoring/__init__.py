"""What operators watch: health checks (/health/live, /health/ready).  The logs are in
core/logs.py."""
