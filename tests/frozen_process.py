"""Run a Python module in a subprocess on the suite's frozen clock (tests/conftest.py).

``python -m tests.frozen_process celery -A config worker …`` travels to the moment in
``TEST_FROZEN_AT`` (set by ``frozen_env()`` in the parent when it starts the process),
ticking on from there, then runs the module as ``python -m`` would. Parent and child
then read the same "now" (to the milliseconds it took to start), so a worker or a beat
scans, claims and relays as of the test's day, not the machine's. Without
``TEST_FROZEN_AT`` the module runs on the real clock.

Only the standard library and time-machine here: this is imported before Django."""

import datetime as dt
import os
import runpy
import sys

import time_machine

FROZEN_AT = "TEST_FROZEN_AT"


def frozen_env() -> dict[str, str]:
    """The environment entry that starts a subprocess at this process's (frozen) now."""
    return {FROZEN_AT: dt.datetime.now(dt.UTC).isoformat()}


def python_module(module: str, *args: str) -> list[str]:
    """The command line of ``python -m module args…`` on the frozen clock."""
    return [sys.executable, "-m", "tests.frozen_process", module, *args]


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m tests.frozen_process MODULE [ARG …]")
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    moment = os.environ.get(FROZEN_AT)
    if moment:
        time_machine.travel(dt.datetime.fromisoformat(moment), tick=True).start()
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
