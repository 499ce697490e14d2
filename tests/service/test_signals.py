"""The real signal path: ``python -m bot run`` (with simcord as Discord) stopped by SIGTERM, in a subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from bot.settings import PROJECT_ROOT

ADVICE = "If you are writing a spec script, make it interesting in the first few pages."
# Shaped like a bot token (three dot-separated parts) so the start-up check passes; simcord never checks it.
FAKE_TOKEN = "MTQ1NjA3NDQ0Mzk4MDgwMDAwMA." + "GhIjKl" + "." + "x" * 38


def start_bot(*args: str) -> subprocess.Popen:
    env = {**os.environ, "DISCORD_TOKEN": FAKE_TOKEN, "HF_HUB_OFFLINE": "1", "PIERPOINT_SEARCH_THREADS": "1",
           "PIERPOINT_LOG_LEVEL": "INFO"}
    return subprocess.Popen([sys.executable, "-m", "tests.service.signal_child", *args], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_line(process: subprocess.Popen, expected: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith(expected):
            return
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"no {expected!r} from the bot: {process.stderr.read()[-3000:]}")


def test_sigterm_finishes_the_answer_in_progress_turns_new_questions_away_and_exits_0():
    process = start_bot()
    wait_for_line(process, "IN PROGRESS")
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)

    assert process.returncode == 0, err[-3000:]
    assert "LATE: Pierpoint is restarting" in out
    assert "ANSWER: “" + ADVICE in out.replace("**", ""), "the answer in progress was sent in full"
    assert "SIGTERM received: stopping cleanly" in err and "Pierpoint stopped cleanly" in err
    assert "running shards 0-1 of 2" in err, "the process logs the shards it runs"
    assert "Traceback" not in err


def test_a_second_signal_exits_at_once():
    process = start_bot("--hold")  # the answer in progress never finishes
    wait_for_line(process, "IN PROGRESS")
    process.send_signal(signal.SIGTERM)
    wait_for_line(process, "LATE:")
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGINT
    assert time.monotonic() - started < 5, "without waiting out the 10 s allowed to answers in progress"


def test_the_console_says_bye_and_exits_0_on_ctrl_c_and_on_ctrl_d():
    """``python -m bot run`` with no token is the console: Ctrl-C (SIGINT) and Ctrl-D (end of input) both leave."""
    env = {**os.environ, "DISCORD_TOKEN": "", "HF_HUB_OFFLINE": "1"}
    for ending in ("ctrl-c", "ctrl-d"):
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env, text=True,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for_line(process, "Pierpoint local console")
        if ending == "ctrl-c":
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
        else:
            out, err = process.communicate(input="", timeout=30)
        assert process.returncode == 0, (ending, err[-2000:])
        assert out.rstrip().endswith("Bye.") and "Traceback" not in err, ending
