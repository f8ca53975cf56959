"""A newcomer's first minutes: the README lists every demo login seed_demo creates,
seed_demo prints them aligned (CJK double width), and ensure-browser says what is
missing instead of letting the browser journeys skip."""

import io
import subprocess
from pathlib import Path

from django.core.management import call_command

from core.demo import DEMO_PASSWORD, demo_logins, demo_logins_markdown, display_width
from core.models import Membership, User

ROOT = Path(__file__).resolve().parents[2]
START, END = "<!-- demo-logins:", "<!-- /demo-logins -->"


def _readme_table() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index(START) : text.index(END)]
    return block.split("\n", 1)[1]


def test_readme_lists_every_demo_login_with_its_court_name():
    # given the README's generated table; when compared with the seeder's data; then equal
    assert _readme_table() == demo_logins_markdown(demo_logins())
    assert "| `clerk_lu0102` | `demo-pass-2026` | 书记员/法官助理 | 济南市历下区人民法院 |" in _readme_table()


def test_seed_demo_creates_exactly_the_readme_logins(db):
    call_command("seed_demo", stdout=io.StringIO())
    readme_users = {line.split("`")[1] for line in _readme_table().splitlines()[2:]}
    seeded = set(User.objects.filter(memberships__revoked_at__isnull=True).values_list("username", flat=True))
    assert readme_users == seeded
    member = Membership.objects.select_related("court").get(user__username="finance_lu0202")
    assert member.court.name == "青岛市市南区人民法院"
    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)


def test_seed_demo_prints_an_aligned_table(db, capsys):
    call_command("seed_demo", port=8001)
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8001/login/" in out
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("用户名"))
    table = lines[header:]
    assert len(table) == len(demo_logins()) + 2  # header, rule, one line per login
    rule = table[1]
    # the columns start at the same display column on every line (CJK counts double)
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    for line in [table[0], *table[2:]]:
        for start in starts[1:]:
            prefix = _prefix_of_width(line, start)
            assert prefix.endswith("  "), (line, start)
            assert line[len(prefix)] != " ", (line, start)
    clerk = next(line for line in table if line.startswith("clerk_lu0102 "))
    assert "书记员" in clerk and "济南市历下区人民法院" in clerk and DEMO_PASSWORD in clerk


def _prefix_of_width(line: str, width: int) -> str:
    for i in range(len(line) + 1):
        if display_width(line[:i]) == width:
            return line[:i]
    raise AssertionError(f"no prefix of width {width} in {line!r}")


def test_display_width_counts_cjk_double():
    assert display_width("鲁0102") == 6 and display_width("执行局长") == 8 and display_width("ab") == 2


def test_ensure_browser_is_a_no_op_when_chromium_is_there():
    done = subprocess.run([ROOT / "deploy/ensure-browser.sh"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_ensure_browser_names_what_is_missing_when_it_cannot_install(tmp_path):
    # given a user who is not root (a fake `id`) and no Chromium at the path
    fake = tmp_path / "id"
    fake.write_text("#!/bin/sh\necho 1000\n")
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "CHROMIUM": str(tmp_path / "no-chromium")}
    # when
    done = subprocess.run(
        [ROOT / "deploy/ensure-browser.sh"], capture_output=True, text=True, env=env, check=False
    )
    # then it fails, naming the package and the command
    assert done.returncode == 1
    assert "chromium" in done.stderr and "sudo apt-get install chromium" in done.stderr
