"""Fuzz the receiver's intake: generated and mutated DC-09 frames through split, decode and intake.

Run with `make fuzz` (one million frames) or `python benchmarks/fuzz.py FRAMES [SEED]`. Any exception
other than the documented ones (a stream that is not DC-09) stops the run with its traceback.
"""

from __future__ import annotations

import sys

from tocsin.testing.fuzzing import run


def main() -> None:
    frames = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    report = run(frames, seed)
    answers = ", ".join(f"{kind} {count}" for kind, count in sorted(report.answers.items()))
    print(
        f"fuzz: {report.frames:,} frames (seed {seed}) through split + decode + intake in"
        f" {report.seconds:.1f} s ({report.frames / report.seconds:,.0f} frames/s);"
        f" answers: {answers}; {report.stored:,} signals stored;"
        f" {report.stream_errors} streams refused as not DC-09; no other exception."
    )


if __name__ == "__main__":
    main()
