"""What the proxy tells operators: Prometheus metrics and the audit log (types and counts,
never values)."""
