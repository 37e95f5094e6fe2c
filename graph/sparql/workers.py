"""SPARQL queries in worker processes that can be stopped.

The engine cannot be interrupted from outside, so each query runs in a process of its
own and a query past its limit ends with its process. ``QueryWorkers`` keeps a few
such processes and gives each query to one:

- **Time**: a query (with the writing of its answer) gets ``timeout`` seconds; then its
  process is killed and replaced, and the client gets ``QueryTimeout``.
- **Memory**: each worker caps its own address space at what it holds when it starts
  plus ``memory_mb`` (``RLIMIT_AS``); a query that needs more fails in that worker only
  (``OverMemory``).
- **Crashes**: a worker the engine takes down (a segfault on a query, say) costs the
  query that did it (``EngineCrashed``); the next query gets a new worker.
- **No network**: a worker that queries a graph held in its own memory cannot open
  network connections at all (``sandbox.no_network``), so no query can make it fetch
  a URL, whatever the query says.
- **Fairness**: ``workers`` queries run at once in their first ``long_after``
  seconds of CPU (or twice that while they take a tenth of it), and
  ``backlog`` more wait (past that a query is refused at once,
  ``EndpointBusy``). A query that runs past ``long_after`` leaves its place to the
  next one and goes on among at most ``long_workers`` long queries; when those
  places are taken it is stopped (``EndpointBusy``). So long and runaway queries can
  never hold every worker: short queries always find one within ``long_after``.
- **Clients take turns**: each client (the service names them by address) is charged
  the worker time its queries use, forgotten with a half-life of ``HALF_LIFE``
  seconds; a free worker takes the waiting query of the client charged least. A
  client that keeps sending runaway queries waits behind everyone else.

New workers are forked from a *zygote*, a process that has loaded the graph (an
N-Quads image the service writes) and imported the parser once, so replacing a killed
worker costs milliseconds and the workers share the graph's memory. A new graph (a
rebuild, an update) gets a new zygote; queries asked after it wait for it, so an
answer never comes from an older graph than the one asked about.

    >>> from graph.examples import example_store
    >>> from graph.sparql.execute import QueryJob
    >>> import tempfile
    >>> pool = QueryWorkers(workers=1, long_workers=1, timeout=5)
    >>> pool.use(image_source(example_store(), tempfile.mkdtemp(), generation=1), generation=1)
    >>> body, media, generation = pool.run_sync(QueryJob("ASK { ?s ?p ?o }"))
    >>> body, generation
    (b'{"head":{},"boolean":true}', 1)
    >>> pool.close()
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import EndpointBusy, EngineCrashed, OverMemory, QueryFailed, QueryTimeout, SparqlRequestError, \
    StoreUnavailable

__all__ = ["QueryWorkers", "GraphSource", "image_source", "location_source"]

log = logging.getLogger(__name__)

_ZYGOTE_START = 120.0  # seconds a zygote may take to load its graph
_POLL = 0.05
HALF_LIFE = 30.0  # seconds after which half of a client's charge is forgotten
_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class GraphSource:
    """Where workers find the graph: an N-Quads ``image`` the zygote loads into memory,
    or a store ``location`` each worker opens itself (with ``options`` for
    ``graph.stores.open_store``). ``sandbox`` takes the network away from the workers
    (not for a SPARQL server store, which is reached over the network)."""

    image: str | None = None
    location: str | None = None
    options: dict = field(default_factory=dict)
    sandbox: bool = True
    generation: object = None


def image_source(store, directory: str | os.PathLike, *, generation=None) -> GraphSource:
    """Write the store's quads as an N-Quads image in ``directory``; its source."""
    import pyoxigraph as ox

    path = Path(directory) / f"image-{os.getpid()}-{time.monotonic_ns()}.nq"
    with open(path, "wb") as out:
        ox.serialize(store.quads(), out, ox.RdfFormat.N_QUADS)
    return GraphSource(image=str(path), generation=generation)


def location_source(location: str, options: dict | None = None, *, sandbox: bool = True,
                    generation=None) -> GraphSource:
    """A store each worker opens itself (``kg query`` on the store on disk, or the
    service on a SPARQL server)."""
    return GraphSource(location=location, options=dict(options or {}), sandbox=sandbox, generation=generation)


@dataclass(frozen=True)
class _Config:
    source: GraphSource
    memory_mb: float
    niceness: int


# -- the service's side ------------------------------------------------------------------

class _Zygote:
    """The process that holds one generation of the graph and forks workers from it."""

    def __init__(self):
        """Start the process; it imports and warms up, then waits for ``load``."""
        self.config: _Config | None = None
        self.generation = None
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # Without a backtrace: an engine that hits the memory cap says so in one line.
        # Few malloc arenas: each thread's arena reserves address space the cap would count.
        env = {**os.environ, "RUST_BACKTRACE": "0", "MALLOC_ARENA_MAX": "2"}
        self.proc = subprocess.Popen([sys.executable, "-m", "graph.sparql.workers", str(theirs.fileno())],
                                     pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env,
                                     cwd=str(Path(__file__).resolve().parents[2]))
        theirs.close()
        self.ctrl = ours
        self.ready = threading.Event()
        self.failure: str | None = None
        self._forks: deque[Future] = deque()
        self._fork_lock = threading.Lock()
        self._exits: dict[int, int] = {}
        self._exited = threading.Condition()
        threading.Thread(target=self._read, name=f"kg-zygote-{self.proc.pid}", daemon=True).start()

    def load(self, config: _Config) -> None:
        """Give it the graph to hold (once); ``ready`` is set when it has loaded it."""
        self.config, self.generation = config, config.source.generation
        try:
            self.ctrl.sendall(pickle.dumps(config))
        except OSError:
            self.failure = "the query engine's process ended"
            self.ready.set()

    def _read(self) -> None:
        while True:
            try:
                data = self.ctrl.recv(1 << 16)
            except OSError:
                data = b""
            if not data:
                self.failure = self.failure or "the query engine's process ended"
                self.ready.set()
                self.ctrl.close()
                while self._forks:
                    self._forks.popleft().set_exception(EngineCrashed("no process to run it in"))
                with self._exited:
                    self._exited.notify_all()
                return
            kind, *rest = pickle.loads(data)
            if kind == "ready":
                self.ready.set()
            elif kind == "failed":
                self.failure = rest[0]
                self.ready.set()
            elif kind == "forked":
                self._forks.popleft().set_result(rest[0])
            elif kind == "exit":
                with self._exited:
                    self._exits[rest[0]] = rest[1]
                    self._exited.notify_all()

    def fork(self) -> _Worker:
        ours, theirs = socket.socketpair()
        try:
            with self._fork_lock:
                fut: Future = Future()
                self._forks.append(fut)
                socket.send_fds(self.ctrl, [b"fork"], [theirs.fileno()])
            pid = fut.result(timeout=30)
        except (OSError, TimeoutError) as exc:
            ours.close()
            raise EngineCrashed(f"could not start a worker: {exc}") from None
        finally:
            theirs.close()
        return _Worker(pid, Connection(ours.detach()), self)

    def exit_status(self, pid: int, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        with self._exited:
            while pid not in self._exits:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return self._exits.pop(pid, None)
                self._exited.wait(left)
            return self._exits.pop(pid)

    def retire(self) -> None:
        """Fork no more; end once the workers it forked have ended."""
        try:
            self.ctrl.send(b"retire")
        except OSError:
            pass

    def kill(self) -> None:
        self.proc.kill()  # its workers die with it
        self.proc.wait()
        try:
            self.ctrl.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.ctrl.close()


class _Worker:
    def __init__(self, pid: int, conn: Connection, zygote: _Zygote):
        self.pid, self.conn, self.zygote = pid, conn, zygote
        try:
            self._pidfd = os.pidfd_open(pid)
        except (OSError, AttributeError):
            self._pidfd = None

    def cpu_seconds(self) -> float:
        """CPU time the worker has used (0 once it is gone)."""
        try:
            with open(f"/proc/{self.pid}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / _TICK

    def kill(self) -> None:
        try:
            if self._pidfd is not None:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        self.close()

    def close(self) -> None:
        self.conn.close()
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None


@dataclass
class _Waiting:
    job: object
    placed: asyncio.Future  # set when the query has a place to run
    since: float
    client: str = ""
    long: bool = False


class QueryWorkers:
    """A pool of query worker processes (see the module notes).

    The service's event loop talks to the workers itself (``run``): a query costs
    two wake-ups, the worker's and the loop's, and no thread in between.

    Parameters
    ----------
    workers : int
        Queries that run at once in their first ``long_after`` seconds.
    long_workers : int
        Queries that may run longer than ``long_after`` at once (0: none may).
    backlog : int, optional
        Queries that may wait for a worker (default: eight times ``workers``).
    timeout : float
        Seconds one query may run, and wait.
    memory_mb : float
        Memory one query may take beyond the graph the worker holds.
    long_after : float
        Seconds after which a query counts as long.
    niceness : int
        How much lower the workers' CPU priority is than the service's; a long
        query's worker drops to the lowest priority (and is replaced after it).
    spare : bool
        Keep a zygote warm for the next graph (a service whose graph changes), so
        that queries after a rebuild or an update wait only for the graph to load.
    """

    def __init__(self, *, workers: int = 4, long_workers: int = 2, backlog: int | None = None,
                 timeout: float = 10.0, memory_mb: float = 1024.0, long_after: float = 0.5, niceness: int = 0,
                 spare: bool = True):
        self.workers, self.long_workers = workers, long_workers
        self.backlog = 8 * workers if backlog is None else backlog
        self.timeout, self.memory_mb, self.long_after, self.niceness = timeout, memory_mb, long_after, niceness
        self.spare = spare
        self._lock = threading.Lock()  # the zygotes, which a background thread starts
        self._queue: list[_Waiting] = []
        self._short = 0  # queries running in their first long_after seconds
        self._long = 0  # queries running longer
        self._idle: list[_Worker] = []
        self._charges: dict[str, tuple[float, float]] = {}  # client: (worker seconds, when)
        self._zygote: _Zygote | None = None
        self._spare: _Zygote | None = None
        self._wanted: object = None
        self._closed = False

    # -- the graph -------------------------------------------------------------------

    def use(self, source: GraphSource | Callable[[], GraphSource], *, generation=None) -> None:
        """Serve this generation of the graph from now on. ``source`` may be a
        function that makes it (an image to write), called in the background; queries
        asked from now on wait for the new workers."""
        with self._lock:
            self._wanted = generation
        threading.Thread(target=self._start_zygote, args=(source, generation), name="kg-zygote-start",
                         daemon=True).start()

    @property
    def generation(self) -> object:
        """The generation most recently asked for (``use``)."""
        return self._wanted

    def _keep_spare(self) -> None:
        """Start the zygote the next graph will go to, so that it is warm by then."""
        spare = _Zygote()
        with self._lock:
            if self._closed or self._spare is not None:
                spare.kill()
                return
            self._spare = spare

    def _start_zygote(self, source, generation) -> None:
        try:
            src = source() if callable(source) else source
        except Exception as exc:  # the image could not be written; queries say so
            log.warning("could not prepare the graph for the query workers: %s", exc)
            src = GraphSource(image="", generation=generation)
        with self._lock:
            zygote, self._spare = self._spare, None
        if zygote is None or zygote.proc.poll() is not None:
            zygote = _Zygote()
        zygote.load(_Config(src, self.memory_mb, self.niceness))
        if self.spare:
            self._keep_spare()
        zygote.ready.wait(_ZYGOTE_START)
        if src.image:
            Path(src.image).unlink(missing_ok=True)
        with self._lock:
            if self._closed or self._wanted != generation:
                zygote.kill()
                return
            old, self._zygote = self._zygote, zygote
        if zygote.failure:
            log.warning("the query engine did not start: %s", zygote.failure)
        if old is not None:
            old.retire()

    async def _current(self, since: float) -> _Zygote:
        """The zygote of the generation last asked for, waiting for it to load."""
        while True:
            with self._lock:
                z, closed = self._zygote, self._closed
                if z is not None and z.generation == self._wanted:
                    break
            if closed or time.monotonic() - since > _ZYGOTE_START:
                raise EngineCrashed("the query engine is still loading the graph; try again in a moment")
            await asyncio.sleep(0.02)
        if z.failure:
            raise EngineCrashed(f"the query engine could not start: {z.failure}")
        return z

    # -- queries ---------------------------------------------------------------------

    async def run(self, job, client: str = "") -> tuple:
        """Run a query (an ``execute.QueryJob``) for ``client``: ``(body, media,
        generation)``, or one of ``graph.sparql.errors``."""
        if self._closed:
            raise EngineCrashed("the query workers are shut down")
        if len(self._queue) >= self.backlog + max(self.workers - self._short, 0):
            raise EndpointBusy()
        loop = asyncio.get_running_loop()
        item = _Waiting(job, loop.create_future(), time.monotonic(), client)
        self._queue.append(item)
        self._dispatch()
        try:
            await asyncio.wait_for(asyncio.shield(item.placed), self.timeout)
        except (asyncio.TimeoutError, TimeoutError):
            if item in self._queue:
                self._queue.remove(item)
                raise EndpointBusy(f"the query waited {self.timeout:g} s for a free worker; the service is busy, "
                                   "try again in a moment") from None
        except asyncio.CancelledError:
            if item in self._queue:
                self._queue.remove(item)
                raise
            self._release(item, item.since)
            raise
        started = time.monotonic()
        try:
            return await self._exchange(item, started)
        finally:
            self._release(item, started)

    def run_sync(self, job, client: str = "") -> tuple:
        """``run`` for a caller without an event loop (``kg query``)."""
        return asyncio.run(self.run(job, client))

    def _release(self, item: _Waiting, started: float) -> None:
        now = time.monotonic()
        self._charge(item.client, now, now - started)
        if item.long:
            self._long -= 1
        else:
            self._short -= 1
        self._dispatch()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            zygotes = [z for z in (self._zygote, self._spare) if z is not None]
            self._zygote = self._spare = None
        for item in self._queue:
            if not item.placed.done():
                item.placed.get_loop().call_soon_threadsafe(
                    lambda f=item.placed: f.done() or f.set_exception(EngineCrashed("the service is shutting down")))
        self._queue.clear()
        for w in self._idle:
            w.close()
        self._idle.clear()
        for zygote in zygotes:
            zygote.kill()

    def _charge(self, client: str, now: float, seconds: float = 0.0) -> float:
        """The client's charge now, after adding ``seconds``."""
        value, when = self._charges.get(client, (0.0, now))
        value = value * 0.5 ** ((now - when) / HALF_LIFE) + seconds
        if value < 1e-3:
            self._charges.pop(client, None)
        else:
            self._charges[client] = (value, now)
        return value

    def _dispatch(self) -> None:
        """Give free places to waiting queries: the client charged least first (the
        earliest of equals)."""
        while self._queue and self._short < self.workers:
            now = time.monotonic()
            best = min(range(len(self._queue)), key=lambda i: (self._charge(self._queue[i].client, now), i))
            item = self._queue.pop(best)
            if item.placed.done():  # its client left
                continue
            self._short += 1
            item.placed.set_result(None)

    async def _worker(self, zygote: _Zygote) -> _Worker:
        while self._idle:
            w = self._idle.pop()
            if w.zygote is zygote:
                return w
            w.close()  # of an older graph: it ends when its connection closes
        return await asyncio.get_running_loop().run_in_executor(None, zygote.fork)

    async def _exchange(self, item: _Waiting, started: float) -> tuple:
        loop = asyncio.get_running_loop()
        zygote = await self._current(item.since)
        worker = await self._worker(zygote)
        try:
            worker.conn.send(item.job)
        except OSError:  # a worker that died idle: one more try on a new one
            worker.kill()
            worker = await loop.run_in_executor(None, zygote.fork)
            worker.conn.send(item.job)
        started = time.monotonic()  # the time limit counts from here: loading the graph is not the query's
        replied = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, lambda: replied.done() or replied.set_result(None))
        stop: SparqlRequestError | None = None
        cpu_before = worker.cpu_seconds()
        try:
            while not replied.done():
                left = started + self.timeout - time.monotonic()
                if left <= 0:
                    stop = QueryTimeout(self.timeout)
                    break
                wait = left if item.long else min(self.long_after, left)
                try:
                    await asyncio.wait_for(asyncio.shield(replied), wait)
                except (asyncio.TimeoutError, TimeoutError):
                    pass
                if replied.done() or item.long or time.monotonic() - started >= self.timeout:
                    continue
                # Long by the CPU it took more than by the clock: on a busy machine a
                # short query may wait for the CPU longer than it runs, while a runaway
                # one that gets little CPU still shows at twice the wait.
                cpu = worker.cpu_seconds() - cpu_before
                ran = time.monotonic() - started
                if cpu < self.long_after and not (ran >= 2 * self.long_after and cpu >= self.long_after / 10):
                    continue
                if not self._promote(item, worker):
                    stop = EndpointBusy(f"the query ran past {self.long_after:g} s while {self.long_workers} long "
                                        "queries were already running, and was stopped; the service is busy, try "
                                        "again in a moment")
                    break
        except asyncio.CancelledError:  # the client left: so does its query
            loop.remove_reader(fd)
            worker.kill()
            raise
        finally:
            loop.remove_reader(fd)  # before the connection can close
            if not worker.conn.closed:
                os.set_blocking(fd, True)  # an event loop may have made it non-blocking
        if stop is not None:
            worker.kill()
            raise stop
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            raise await loop.run_in_executor(None, self._death, worker) from None
        if kind == "error":
            if isinstance(value, OverMemory):  # its heap may be in pieces: start afresh
                worker.kill()
            else:
                self._done_with(item, worker)
            raise value
        self._done_with(item, worker)
        return (*value, zygote.generation)

    def _done_with(self, item: _Waiting, worker: _Worker) -> None:
        if item.long or self._closed:
            worker.close()  # a long query's worker runs at the lowest priority: a fresh one takes its place
        else:
            self._idle.append(worker)

    def _promote(self, item: _Waiting, worker: _Worker) -> bool:
        """Move a query that became long out of the short queries' places, if a long
        one is free; its worker yields the CPU to every other from then on."""
        if self._long >= self.long_workers:
            return False
        item.long = True
        self._short -= 1
        self._long += 1
        self._dispatch()
        try:
            os.setpriority(os.PRIO_PROCESS, worker.pid, 19)
        except OSError:
            pass
        return True

    def _death(self, worker: _Worker) -> SparqlRequestError:
        status = worker.zygote.exit_status(worker.pid, timeout=2.0)
        worker.close()
        if status is not None and os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            if sig == signal.SIGABRT:  # the engine aborts when an allocation fails
                return OverMemory(self.memory_mb)
            if sig == signal.SIGKILL:  # not ours: the kernel's memory killer
                return OverMemory(self.memory_mb)
            return EngineCrashed(f"its process ended with {signal.Signals(sig).name}")
        return EngineCrashed("its process ended")


# -- the zygote and the workers ----------------------------------------------------------

def _open(source: GraphSource):
    from graph.stores import open_store
    from graph.stores.memory import MemoryStore

    if source.image is not None:
        if not source.image:
            raise QueryFailed("the graph could not be written for the query engine")
        return MemoryStore.from_file(source.image)
    return lambda: open_store(source.location, **source.options)


def _warm() -> None:
    """Import and build what every query uses, once, before forking."""
    from rdflib.plugins.sparql import parser

    from . import execute, results  # noqa: F401

    parser.parseQuery("SELECT * FROM <urn:x> WHERE { SERVICE <urn:y> { ?s ?p ?o } }")
    parser.parseUpdate("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def _serve(conn: Connection, store, config: _Config) -> None:
    from . import sandbox
    from .errors import QueryTooDeep
    from .execute import answer

    sandbox.die_with_parent()
    if config.source.sandbox:
        sandbox.no_network()
    failure = None
    if callable(store):  # opened before the cap: the store's own threads and caches are not the query's
        try:
            store = store()
            len(store)
        except Exception as exc:  # noqa: BLE001 -- every query is told why
            failure = StoreUnavailable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    sandbox.lower_priority(config.niceness)
    sandbox.limit_memory(config.memory_mb)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if failure is not None:
                raise failure
            reply = ("ok", answer(store, job))
        except SparqlRequestError as exc:
            reply = ("error", exc)
        except MemoryError:
            reply = ("error", OverMemory(config.memory_mb))
        except RecursionError:
            reply = ("error", QueryTooDeep(None, job.max_depth))
        except Exception as exc:  # noqa: BLE001 -- whatever the engine raises is the client's answer
            reply = ("error", QueryFailed(f"the query failed: {exc}"))
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("error", OverMemory(config.memory_mb)))
        if isinstance(reply[1], OverMemory):
            return


def _zygote(ctrl_fd: int) -> None:
    # Not ``die_with_parent``: that follows the thread that started the zygote, which
    # ends at once. The zygote ends when its connection to the service closes instead.
    ctrl = socket.socket(fileno=ctrl_fd)

    def tell(*message) -> None:
        ctrl.send(pickle.dumps(message))

    # Warm first, then wait for the graph: a zygote started ahead of need (the pool keeps
    # a spare) takes a new graph in the time it takes to load it.
    _warm()
    data = ctrl.recv(1 << 20)
    if not data:
        return
    config: _Config = pickle.loads(data)
    try:
        store = _open(config.source)
    except Exception as exc:  # noqa: BLE001 -- reported to the service, which says it in one line
        tell("failed", str(exc) or type(exc).__name__)
        return
    tell("ready")
    children: set[int] = set()
    retiring = False
    while True:
        readable, _, _ = select.select([ctrl], [], [], _POLL)
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            children.discard(pid)
            tell("exit", pid, status)
        if readable:
            msg, fds, _, _ = socket.recv_fds(ctrl, 64, 1)
            if not msg:  # the service is gone: so are its workers
                for pid in children:
                    os.kill(pid, signal.SIGKILL)
                return
            if msg == b"fork" and fds:
                pid = os.fork()
                if pid == 0:
                    try:
                        ctrl.close()
                        _serve(Connection(fds[0]), store, config)
                    finally:
                        os._exit(0)
                os.close(fds[0])
                children.add(pid)
                tell("forked", pid)
            elif msg == b"retire":
                retiring = True
        if retiring and not children:
            return


if __name__ == "__main__":
    _zygote(int(sys.argv[1]))
