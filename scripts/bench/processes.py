"""Child processes of the benchmark: timed commands, gunicorn, the Celery worker, memory.

Every process here is started by the benchmark and stopped by its own id; nothing is
looked up or signalled by name.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from scripts.bench.load import probe

ROOT = Path(__file__).resolve().parents[2]
# Settings the benchmark always sets itself, so a developer's shell cannot leak into it.
OWNED_VARIABLES = (
    "APP_ENV",
    "SECRET_KEY",
    "DATABASE_URL",
    "DATABASE_OWNER_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_EAGER",
    "CELERY_QUEUE",
    "MAIL_URL",
    "BASE_URL",
    "INSTANCE_DIR",
    "SEARCH_CACHE_SECONDS",
    "RATELIMIT_STORAGE_URI",
    "RATELIMIT_ENABLED",
)


def environment(**values: str) -> dict[str, str]:
    """This process's environment without the app's settings, plus `values`."""
    env = {k: v for k, v in os.environ.items() if k not in OWNED_VARIABLES}
    env.update(values)
    return env


def flask_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "directory", *args]


@dataclass(frozen=True)
class Finished:
    """A command that ran to its end: wall time, peak resident memory, output."""

    returncode: int
    seconds: float
    peak_rss_mb: float
    output: str


class CommandFailed(RuntimeError):
    pass


def run_timed(args: list[str], env: dict[str, str], log: Path) -> Finished:
    """Run a command to its end, measuring its wall time and its own peak RSS.

    os.wait4 gives the resource usage of this one child (getrusage(RUSAGE_CHILDREN)
    would mix in every earlier child).  Output goes to `log`; raises CommandFailed with
    its tail when the command fails.
    """
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    output = log.read_text()
    if process.returncode != 0:
        tail = "\n".join(output.splitlines()[-30:])
        raise CommandFailed(f"{' '.join(args[1:])} failed ({process.returncode}):\n{tail}")
    return Finished(process.returncode, seconds, usage.ru_maxrss / 1024, output)


@dataclass
class Service:
    name: str
    process: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            tail = "\n".join(self.log.read_text().splitlines()[-30:])
            raise RuntimeError(f"{self.name} exited ({self.process.returncode}):\n{tail}")

    def stop(self, timeout: float = 20) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(name: str, args: list[str], env: dict[str, str], log: Path) -> Service:
    out = log.open("w")
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    out.close()  # the child keeps its own descriptor
    return Service(name, process, log)


def start_gunicorn(
    env: dict[str, str], port: int, *, workers: int, worker_class: str, threads: int, log: Path
) -> Service:
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--bind",
        f"127.0.0.1:{port}",
        "--error-logfile",
        "-",
        "--log-level",
        "warning",
    ]
    if worker_class == "gthread":
        args += ["--threads", str(threads)]
    service = start("gunicorn", [*args, "directory:create_app()"], env, log)
    deadline = time.monotonic() + 60
    while probe("127.0.0.1", port, "/") != 200:
        service.check_alive()
        if time.monotonic() > deadline:
            service.stop()
            raise RuntimeError(f"gunicorn did not answer on port {port} within 60 s")
        time.sleep(0.3)
    return service


def start_celery(env: dict[str, str], *, queue: str, concurrency: int, log: Path) -> Service:
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workers",
        "worker",
        "--concurrency",
        str(concurrency),
        "--queues",
        queue,
        "--hostname",
        f"bench-{os.getpid()}@%h",
        "--without-mingle",
        "--without-gossip",
        "--loglevel",
        "INFO",
    ]
    service = start("celery worker", args, env, log)
    deadline = time.monotonic() + 60
    while " ready." not in service.log.read_text():
        service.check_alive()
        if time.monotonic() > deadline:
            service.stop()
            raise RuntimeError("the celery worker was not ready within 60 s")
        time.sleep(0.3)
    return service


def start_redis(port: int, log: Path) -> Service:
    """A `redis-server` of the benchmark's own on loopback, keeping nothing on disk: the
    benchmark may stop it to measure an outage without touching anyone else's Redis."""
    args = [
        "redis-server",
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(log.parent),
    ]
    service = start("redis-server", args, dict(os.environ), log)
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return service
        except OSError:
            pass
        service.check_alive()
        if time.monotonic() > deadline:
            service.stop()
            raise RuntimeError(f"redis-server did not answer on port {port} within 20 s")
        time.sleep(0.1)


def children(pid: int) -> list[int]:
    """The ids of the direct children of `pid` (gunicorn's workers, celery's pool)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses; fields resume after the last ')'.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


@dataclass(frozen=True)
class Memory:
    rss_mb: float
    peak_mb: float


def memory(pid: int) -> Memory:
    """Resident memory now (VmRSS) and at its highest (VmHWM) of a live process."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return Memory(values["VmRSS"], values["VmHWM"])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (0 once it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # utime and stime are fields 14 and 15
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_backends(user: str, database: str) -> list[int]:
    """PostgreSQL backends serving `user` on `database` (by their process titles)."""
    title = f" {user} {database} "
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if cmdline.startswith("postgres: ") and title in cmdline:
            found.append(int(entry.name))
    return found
