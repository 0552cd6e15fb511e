"""What the tests and the benchmarks share and the build does not: servers
for a built site (``harness.servers``) and how Chromium is started here."""
