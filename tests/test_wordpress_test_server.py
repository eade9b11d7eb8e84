"""tools/wordpress-test-server.sh leaves nothing running: its watcher stops a site once the
test session that started it is gone, even killed before its teardown (no WordPress needed:
the servers here are stand-ins that only have to be stopped)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "tools" / "wordpress-test-server.sh"


def alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def detached(command: str) -> int:
    """A process group started as the script starts its servers (setsid, in the background:
    init reaps it); returns its leader's pid."""
    done = subprocess.run(["sh", "-c", f"setsid sh -c '{command}' >/dev/null 2>&1 & echo $!"],
                          check=True, capture_output=True, text=True)
    return int(done.stdout)


def test_the_site_is_stopped_when_its_owner_is_killed(tmp_path):
    web = detached("sleep 300 & sleep 300")  # stand-ins for php -S (and a worker), mariadbd
    db = detached("sleep 300")
    run = Path(subprocess.run(["mktemp", "-d", "/tmp/eyelights-wp.XXXXXX"], check=True,
                              capture_output=True, text=True).stdout.strip())
    site = tmp_path / "site"
    site.mkdir()
    (site / "state").write_text(f"run={run}\nport=1\ndb_pid={db}\nweb_pid={web}\n")
    owner = subprocess.Popen(["sleep", "300"])  # the test session
    watcher = subprocess.Popen(["sh", str(SCRIPT), "watch", str(site), str(owner.pid)])
    try:
        time.sleep(0.6)
        assert alive(web) and alive(db)  # the owner lives: the site stays
        owner.kill()  # killed: no teardown runs
        owner.wait()
        watcher.wait(timeout=15)
        gone = time.monotonic() + 5  # killed; init reaps them a moment later
        while (alive(web) or alive(db)) and time.monotonic() < gone:
            time.sleep(0.05)
        assert not alive(web) and not alive(db)
        assert not (site / "state").exists() and not run.exists()
    finally:
        owner.kill()
        watcher.kill()
        for group in (web, db):
            if alive(group):
                os.killpg(group, signal.SIGKILL)


def test_make_test_runs_without_root_when_only_wordpress_is_missing(tmp_path):
    """Not root, WordPress's packages missing: the publishing tests skip (saying why); the
    other tests still run (system-deps.sh test must not stop make test)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")  # not root
    (bin_dir / "dpkg-query").write_text(  # every package installed but WordPress's
        '#!/bin/sh\ncase "$*" in *wordpress*|*mariadb-server*|*php-cli*|*php-mysql*) exit 1;; '
        "esac\nprintf 'install ok installed'\n")
    for stub in bin_dir.iterdir():
        stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    script = SCRIPT.with_name("system-deps.sh")
    done = subprocess.run(["sh", str(script), "test"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "will be skipped" in done.stdout and "mariadb-server php-cli" in done.stdout
    (bin_dir / "dpkg-query").write_text('#!/bin/sh\ncase "$*" in *poppler*) exit 1;; esac\n'
                                        "printf 'install ok installed'\n")
    done = subprocess.run(["sh", str(script), "test"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 1 and "poppler-utils" in done.stdout  # what every test needs
