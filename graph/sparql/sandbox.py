"""What a query worker process does to itself before it reads a query: no network, a
memory cap, a lower CPU priority, and death with its parent.

``no_network`` installs a seccomp filter that makes ``socket(AF_INET…)`` and
``socket(AF_INET6…)`` fail with "permission denied" for the rest of the process's life:
whatever a query says and however a parser reads it, the engine in that process can
open no connection, so it can fetch no URL. Sockets the process already holds (the
one to the service) keep working, and so do Unix sockets.

    >>> import subprocess, sys
    >>> code = ("from graph.sparql.sandbox import no_network; import socket; no_network()\\n"
    ...         "try: socket.socket(socket.AF_INET)\\nexcept PermissionError: print('refused')")
    >>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    'refused'
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import signal
import socket
import struct

__all__ = ["no_network", "limit_memory", "lower_priority", "die_with_parent", "address_space_mb", "SandboxError"]

_PR_SET_PDEATHSIG, _PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 1, 38, 22, 2
# (audit architecture, number of the socket system call) per machine
_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_LD_W_ABS, _JEQ_K, _RET_K = 0x20, 0x15, 0x06


class SandboxError(OSError):
    """The process could not restrict itself; the message says which restriction."""


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def no_network() -> None:
    """Make every later attempt to open an IPv4 or IPv6 socket fail (EACCES).

    Raises
    ------
    SandboxError
        On a machine without seccomp, or one this filter does not know.
    """
    try:
        arch, nr = _ARCH[platform.machine()]
    except KeyError:
        raise SandboxError(f"no network filter for {platform.machine()} machines") from None
    # seccomp_data: nr at offset 0, arch at 4, args[0] at 16 (its low word on little-endian machines)
    program = b"".join([
        _insn(_LD_W_ABS, 0, 0, 4),
        _insn(_JEQ_K, 0, 6, arch),
        _insn(_LD_W_ABS, 0, 0, 0),
        _insn(_JEQ_K, 0, 4, nr),
        _insn(_LD_W_ABS, 0, 0, 16),
        _insn(_JEQ_K, 1, 0, socket.AF_INET),
        _insn(_JEQ_K, 0, 1, socket.AF_INET6),
        _insn(_RET_K, 0, 0, _RET_ERRNO | errno.EACCES),
        _insn(_RET_K, 0, 0, _RET_ALLOW),
    ])
    buf = ctypes.create_string_buffer(program)
    prog = _SockFprog(len(program) // 8, ctypes.addressof(buf))
    libc = _libc()
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(ctypes.get_errno(), "cannot set no_new_privs")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise SandboxError(ctypes.get_errno(), "cannot install the seccomp filter")


def address_space_mb() -> float:
    """The process's address space now (VmSize), in MB."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def limit_memory(extra_mb: float) -> int:
    """Cap the address space at what the process has now plus ``extra_mb``; returns
    the cap in bytes. Allocations past it fail (a Python ``MemoryError``, or the
    engine aborting)."""
    cap = int((address_space_mb() + extra_mb) * 2**20)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return cap


def lower_priority(niceness: int = 10) -> None:
    """Yield the CPU to the service's own process when both want it."""
    try:
        os.nice(niceness)
    except OSError:
        pass


def die_with_parent() -> None:
    """Be killed when the parent process ends, however it ends."""
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
