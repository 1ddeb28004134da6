"""What operators watch: health checks (/health/live, /health/ready) and Prometheus
metrics (/metrics).  The worker's task metrics are in workers/monitoring.py, the logs in
core/logs.py."""
