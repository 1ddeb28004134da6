"""The shipped front door on loopback: nginx with deploy/nginx.conf in front of gunicorn
with deploy/gunicorn.conf.py, for the front-door test and the load test.

nginx runs with a main configuration of our own (pid, logs and temporary folders in a
folder of the caller's) that includes deploy/nginx.conf, whose site-specific lines are
replaced by local ports, a self-signed certificate and local folders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


@dataclass(frozen=True)
class Ports:
    https: int
    http: int
    app: int


def site_config(ports: Ports, certificate: Path, media: Path) -> str:
    """deploy/nginx.conf with the lines an operator makes their own replaced."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{ports.http};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports.https} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{ports.app};",
        "/etc/ssl/directory/fullchain.pem": str(certificate),
        "/etc/ssl/directory/privkey.pem": str(certificate.with_suffix(".key")),
        "/srv/directory/static/": f"{ROOT / 'static'}/",
        "/srv/directory/media/": f"{media}/",
    }
    for old, new in replacements.items():
        if old not in text:
            raise RuntimeError(f"deploy/nginx.conf no longer has {old!r}: update {__name__}")
        text = text.replace(old, new)
    return text


def main_config(folder: Path, site: Path, *, connections: int = 256) -> str:
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the folder
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in TEMP_KINDS)
    return f"""{user}
daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections {connections}; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
{temp}
    include {site};
}}
"""


def self_signed_certificate(folder: Path) -> Path:
    certificate = folder / "localhost.pem"
    key = certificate.with_suffix(".key")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate


def write_nginx_config(folder: Path, ports: Ports, *, connections: int = 256) -> Path:
    """The main configuration file for nginx in `folder`, checked with `nginx -t`."""
    (folder / "media").mkdir(exist_ok=True)
    for kind in TEMP_KINDS:
        (folder / kind).mkdir(exist_ok=True)
    site = folder / "directory.conf"
    site.write_text(site_config(ports, self_signed_certificate(folder), folder / "media"))
    main = folder / "nginx.conf"
    main.write_text(main_config(folder, site, connections=connections))
    checked = subprocess.run([NGINX, "-t", "-c", str(main)], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused the configuration:\n{checked.stderr}")
    return main


def start_gunicorn(env: dict[str, str], log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def start_nginx(main: Path, log) -> subprocess.Popen:
    return subprocess.Popen([NGINX, "-c", str(main)], stdout=log, stderr=subprocess.STDOUT)


def stop(*processes: subprocess.Popen, timeout: float = 20) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
