"""What operators watch: health checks (/health/live, /health/ready) and Prometheus
metrics (/metrics).  The logs are in core/logs.py."""
