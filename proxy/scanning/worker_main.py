"""The child side of a scan worker process: load GiNZA once, then answer jobs.

A frame is an 8-byte length and a pickle, over the Unix socket pair the parent
(proxy.scanning.workers) made. A job frame is ``(job_id, fingerprint, settings or None,
texts, seams)``; the answer is ``(job_id, status, payload)`` with status ``ok``, ``error``
(payload: reason code, message) or ``need-settings`` (the worker no longer holds them).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import socket
import struct
from collections import OrderedDict

from detectors.settings import DetectionSettings
from detectors.types import ScanError
from proxy.scanning.files import read_files

FRAME_HEADER = struct.Struct("!Q")
# Settings a worker (and the parent's record of it) keeps, by fingerprint.
SETTINGS_KEPT = 64
# The fingerprint slot of a frame that carries files to read instead of texts to scan
# (settings fingerprints are hex digests, so it cannot collide).
FILES_JOB = "$files"


def _recv(sock: socket.socket) -> bytes | None:
    header = _recv_exactly(sock, FRAME_HEADER.size)
    if header is None:
        return None
    (size,) = FRAME_HEADER.unpack(header)
    return _recv_exactly(sock, size)


def _recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < size:
        chunk = sock.recv(min(size - len(buf), 1 << 20))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def _send(sock: socket.socket, obj: object) -> None:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(FRAME_HEADER.pack(len(payload)) + payload)


def worker_main(sock: socket.socket, model_name: str) -> None:
    """Load the model, say ready, then answer jobs until the parent closes the socket."""
    # Ctrl-C reaches the whole process group; the parent decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from detectors.engine import Scanner

    scanner = Scanner.load(model_name)
    # The model is millions of long-lived objects: keep them out of every GC pass, so a
    # collection in the middle of a scan does not walk them (a p99 cost otherwise).
    gc.collect()
    gc.freeze()
    settings: OrderedDict[str, DetectionSettings] = OrderedDict()
    _send(sock, ("ready", os.getpid()))
    while True:
        frame = _recv(sock)
        if frame is None:
            return
        job_id, fingerprint, new_settings, texts, seams = pickle.loads(frame)
        if fingerprint == FILES_JOB:  # attached files: texts holds FileJobs
            _send(sock, (job_id, "ok", read_files(texts)))
            continue
        if new_settings is not None:
            settings[fingerprint] = new_settings
            while len(settings) > SETTINGS_KEPT:
                settings.popitem(last=False)
        known = settings.get(fingerprint)
        if known is None:
            _send(sock, (job_id, "need-settings", None))
            continue
        settings.move_to_end(fingerprint)
        try:
            per_text = [scanner.scan(t, known) for t in texts]
            per_seam = [scanner.scan_seam(a, b, known) for a, b in seams]
        except ScanError as exc:
            _send(sock, (job_id, "error", (exc.reason_code, str(exc))))
        except Exception as exc:  # a detector bug: the request fails closed
            _send(
                sock, (job_id, "error", ("scanner_error", f"scanner failed: {type(exc).__name__}"))
            )
        else:
            _send(sock, (job_id, "ok", (per_text, per_seam)))
