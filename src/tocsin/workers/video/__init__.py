"""Video: one recorder process per camera into its ring buffer, clips cut around alarms, and their
supervisor, which restarts a dead recorder and turns what recorders report into camera-health alarms."""
