"""Tools around the proxy: the ``sekimori`` command, the demo, check-config, the
playground and the mock upstream."""
