"""The ``tocsin`` command line."""
