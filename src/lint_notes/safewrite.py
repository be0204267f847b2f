"""Atomic writes: a temporary file in the same folder, fsync, then rename over the target."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` all at once. ``durable=False`` skips the fsync: for caches,
    where an entry lost in a crash is only rebuilt."""
    path = Path(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
            with open(path, "wb") as fh:  # /dev/null, a pipe, a terminal: write through, never replace
                fh.write(data)
            return
    except FileNotFoundError:
        pass
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        try:
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o7777)
            else:  # a new file gets the usual permissions, not mkstemp's 0600
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes_atomic(path, text.encode(encoding))


class AtomicWriter:
    """``with AtomicWriter(path) as fh: fh.write(...)``: streamed into a temporary file in the same
    folder, which replaces ``path`` only when the block ends without an error."""

    def __init__(self, path: Path, encoding: str = "utf-8"):
        self.path = Path(path)
        self.encoding = encoding
        self._passthrough = False

    def __enter__(self):
        try:
            st = self.path.stat()
            self._passthrough = not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode)
        except FileNotFoundError:
            pass
        if self._passthrough:
            self._fh = open(self.path, "w", encoding=self.encoding)
            return self._fh
        folder = self.path.parent if str(self.path.parent) else Path(".")
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        self._fh = os.fdopen(fd, "w", encoding=self.encoding, newline="")
        return self._fh

    def __exit__(self, exc_type, exc, tb):
        if self._passthrough:
            self._fh.close()
            return False
        try:
            if exc_type is None:
                self._fh.flush()
                os.fsync(self._fh.fileno())
            self._fh.close()
            if exc_type is None:
                _permissions(self._tmp, self.path)
                os.replace(self._tmp, self.path)
                return False
        except BaseException:
            _discard(self._tmp)
            raise
        _discard(self._tmp)
        return False


def _permissions(tmp: str, path: Path) -> None:
    try:
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
    except OSError:
        pass


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
