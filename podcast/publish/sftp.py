"""sftp://user@host[:port]/path: any server with SSH (a VPS, a static host), via paramiko.

paramiko rather than asyncssh: the library is synchronous (a render, a queue worker, a
script call it from plain threads), and paramiko's blocking client fits without an event
loop; it reads keys from the agent and ~/.ssh, checks known_hosts, and speaks OpenSSH's
posix-rename extension, all we need.

Keys come from the SSH agent ($SSH_AUTH_SOCK) or ~/.ssh/id_*; a password is never asked
for. The host key is checked against ~/.ssh/known_hosts: an unknown host is refused unless
`accept_new_host_key` (then its key is added there, as `ssh -o StrictHostKeyChecking=accept-new`
does); a changed key is always refused. Each file goes to a temp name in the target folder,
then is renamed over the final name (posix-rename), so a reader sees the old file or the new.
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import InputError, RemoteError
from ..files import STALE_AFTER, TEMP_PREFIX
from ..options import Option
from .target import Item, Publisher

log = logging.getLogger(__name__)

TIMEOUT = 20
"""Seconds to connect, to exchange banners and to authenticate."""


def _known_hosts() -> Path:
    return Path(os.path.expanduser("~/.ssh/known_hosts"))


class SftpPublisher(Publisher):
    name = "sftp"
    description = "Any SSH server (VPS, static host) over SFTP, via paramiko; keys from the agent or ~/.ssh."
    schemes = ("sftp",)
    options = (
        Option(
            "accept_new_host_key",
            bool,
            False,
            "Trust an SSH host not yet in ~/.ssh/known_hosts, and add it there (a changed key is still refused)",
        ),
    )

    def __init__(self, target: str, options=None):
        super().__init__(target, options)
        parts = urlsplit(target)
        if parts.password is not None:
            raise InputError("sftp target: put no password in the URL; use a key (ssh-agent or ~/.ssh)")
        try:
            port = parts.port or 22
        except ValueError:
            raise InputError(f"sftp target: bad port in {target[:80]!r}") from None
        if not parts.hostname:
            raise InputError(f"sftp target must be sftp://user@host[:port]/path, not {target[:80]!r}")
        self.host, self.port = parts.hostname, port
        self.user = unquote(parts.username) if parts.username else None
        self._given_port = parts.port is not None
        self._keys: list[str] = []
        path = unquote(parts.path).lstrip("/")
        if not path.strip("/"):
            # The server's root folder is never the intended place (and root could write there).
            raise InputError(
                f"sftp target has no folder: {_shown(target)!r}; give one, e.g. "
                "sftp://user@host/var/www/podcast, or sftp://user@host/~/podcast under the login's home"
            )
        # sftp://host/~/path is under the login's home folder, as curl and OpenSSH's sftp take it.
        self.home_relative = path == "~" or path.startswith("~/")
        self.root = posixpath.normpath("/" + (path[1:] if self.home_relative else path).lstrip("/"))
        self.where = (
            f"sftp://{parts.netloc}/{path}".rstrip("/") if self.home_relative else f"sftp://{parts.netloc}{self.root}"
        )
        self._ssh = None
        self._sftp = None

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        import paramiko

        try:
            yield
        except (InputError, RemoteError):
            raise
        except paramiko.BadHostKeyException:
            raise RemoteError(
                f"{self.where}: the host key of {self.host} CHANGED since it was recorded in known_hosts; "
                f"refusing (if the server was really reinstalled: ssh-keygen -R {self._known_hosts_name()!r})"
            ) from None
        except paramiko.PasswordRequiredException:
            raise InputError(
                f"{self.where}: the SSH key is passphrase-protected; load it into ssh-agent (ssh-add) first"
            ) from None
        except paramiko.AuthenticationException:
            raise RemoteError(
                f"{self.where}: authentication failed (no key from ssh-agent or ~/.ssh was accepted)"
            ) from None
        except PermissionError:
            raise RemoteError(f"{self.where}: permission denied ({doing})") from None
        except FileNotFoundError:
            raise RemoteError(f"{self.where}: no such file or folder ({doing})") from None
        except TimeoutError:
            raise RemoteError(f"{self.where}: timed out ({doing})") from None
        except paramiko.ssh_exception.NoValidConnectionsError as exc:
            # paramiko's own text is "[Errno None] Unable to connect to port N on HOST" per address tried.
            reasons = sorted({os.strerror(e.errno) if e.errno else str(e) for e in exc.errors.values()})
            raise RemoteError(
                f"{self.where}: cannot connect to {self.host} port {self.port} ({'; '.join(reasons)})"
            ) from None
        except (paramiko.SSHException, EOFError, OSError) as exc:
            raise RemoteError(f"{self.where}: {doing} failed: {str(exc)[:200] or type(exc).__name__}") from None

    def _known_hosts_name(self) -> str:
        """How known_hosts (and ssh-keygen -R) names this host: [host]:port off the default port."""
        return self.host if self.port == 22 else f"[{self.host}]:{self.port}"

    def _read_ssh_config(self) -> None:
        """Apply ~/.ssh/config's Host entry as `ssh` would: sftp://myserver/... works where
        `ssh myserver` does (HostName, Port and User unless the URL gives them, IdentityFile)."""
        import paramiko

        path = Path(os.path.expanduser("~/.ssh/config"))
        if not path.is_file():
            return
        try:
            found = paramiko.SSHConfig.from_path(str(path)).lookup(self.host)
            port = int(found.get("port", self.port))
        except Exception as exc:  # a config paramiko cannot read (Match exec...): ssh's own affair
            log.debug("ignoring %s: %s", path, exc)
            return
        self.host = found.get("hostname") or self.host
        if not self._given_port:
            self.port = port
        if self.user is None:
            self.user = found.get("user")
        self._keys = [key for key in found.get("identityfile", []) if Path(key).is_file()]

    def connect(self) -> None:
        import paramiko

        self._read_ssh_config()
        ssh = paramiko.SSHClient()
        self._ssh = ssh
        with self._errors("loading known_hosts"):
            ssh.load_system_host_keys()  # ~/.ssh/known_hosts; a missing file means none known
        ssh.set_missing_host_key_policy(_AcceptNew(self) if self.settings["accept_new_host_key"] else _Refuse(self))
        with self._errors(f"connecting to {self.host}:{self.port}"):
            ssh.connect(
                self.host,
                self.port,
                username=self.user,
                timeout=TIMEOUT,
                banner_timeout=TIMEOUT,
                auth_timeout=TIMEOUT,
                key_filename=self._keys or None,
                allow_agent=True,
                look_for_keys=True,
            )
            self._sftp = sftp = ssh.open_sftp()
            if self.home_relative:
                home = sftp.normalize(".")  # the server's starting folder: the login's home
                self.root = posixpath.normpath(posixpath.join(home, self.root.lstrip("/")))
                self.home_relative = False
        with self._errors(f"creating {self.root}"):
            self._makedirs(self.root)

    @property
    def sftp(self):
        if self._sftp is None:
            self.connect()
        return self._sftp

    def _makedirs(self, path: str) -> None:
        try:
            if stat.S_ISDIR(self.sftp.stat(path).st_mode or 0):
                return
            raise RemoteError(f"{self.where}: {path} is not a folder")
        except FileNotFoundError:
            pass
        parent = posixpath.dirname(path)
        if parent and parent != path:
            self._makedirs(parent)
        self.sftp.mkdir(path)

    def _path(self, name: str) -> str:
        return posixpath.join(self.root, name)

    def list_files(self) -> dict[str, int]:
        found: dict[str, int] = {}
        with self._errors("listing"):
            for entry in self.sftp.listdir_attr(self.root):
                if not stat.S_ISREG(entry.st_mode or 0):
                    continue
                if entry.filename.startswith(TEMP_PREFIX):
                    # a killed run's temp: ours to remove once it is clearly not another run's
                    if time.time() - (entry.st_mtime or 0) > STALE_AFTER:
                        with contextlib.suppress(OSError):
                            self.sftp.remove(self._path(entry.filename))
                    continue
                found[entry.filename] = int(entry.st_size or 0)
        return found

    def read(self, name: str) -> bytes | None:
        with self._errors(f"reading {name}"):
            try:
                with self.sftp.open(self._path(name), "rb") as fh:
                    return fh.read()
            except FileNotFoundError:
                return None

    def put(self, item: Item, sent: Callable[[int], None]) -> None:
        temp = self._path(f"{TEMP_PREFIX}{secrets.token_hex(6)}-{item.name}")
        last = 0

        def callback(done: int, _total: int) -> None:
            nonlocal last
            sent(done - last)
            last = done

        with self._errors(f"sending {item.name}"):
            try:
                with item.open() as fh:
                    self.sftp.putfo(fh, temp, file_size=item.size, callback=callback, confirm=True)
                self.sftp.chmod(temp, 0o644)  # served by a web server running as another user
                self.sftp.posix_rename(temp, self._path(item.name))
            except BaseException:
                with contextlib.suppress(Exception):
                    self.sftp.remove(temp)
                raise

    def delete(self, name: str) -> None:
        with self._errors(f"deleting {name}"):
            with contextlib.suppress(FileNotFoundError):
                self.sftp.remove(self._path(name))

    def close(self) -> None:
        for closer in (self._sftp, self._ssh):
            if closer is not None:
                with contextlib.suppress(Exception):
                    closer.close()
        self._sftp = self._ssh = None


def _shown(target: str) -> str:
    return target if len(target) <= 80 else target[:79] + "…"


class _Refuse:
    """Unknown host: refused, saying how to trust it after checking its fingerprint."""

    def __init__(self, publisher: SftpPublisher):
        self.publisher = publisher

    def missing_host_key(self, client, hostname, key) -> None:
        port = self.publisher.port
        scan = f"ssh-keyscan -p {port} {self.publisher.host}" if port != 22 else f"ssh-keyscan {self.publisher.host}"
        raise InputError(
            f"{self.publisher.where}: unknown SSH host {hostname} (key {key.get_name()} "
            f"{key.fingerprint}); check that fingerprint, then `{scan} >> ~/.ssh/known_hosts`, "
            "or pass --accept-new-host-key"
        )


class _AcceptNew:
    """Unknown host: trusted, and its key appended to ~/.ssh/known_hosts for next time."""

    def __init__(self, publisher: SftpPublisher):
        self.publisher = publisher

    def missing_host_key(self, client, hostname, key) -> None:
        path = _known_hosts()
        line = f"{hostname} {key.get_name()} {key.get_base64()}\n"
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            with open(path, "a", encoding="ascii") as fh:
                fh.write(line)
        except OSError as exc:
            raise InputError(f"cannot record the new host key: {exc.strerror or exc}", path=path) from None
