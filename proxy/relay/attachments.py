"""Attached files on the request path: the policy per kind, the extracted text as scan
texts, and what findings in a file do (block, or flatten it into its masked text).

Rules stated once:
- A file is named by its position and kind ("添付ファイル2（PDF）"), never by its name.
- Reading happens in the scan workers (proxy.scanning.files); a refusal there (a limit, an
  unreadable or lying file) refuses the whole request, monitor mode included: nothing
  that could not be read is forwarded as if it had been.
- A scanned file with no finding (and no value masked elsewhere in the request) is
  forwarded byte for byte. A block-level finding blocks the request; a mask-level one
  blocks it (``on_mask: block``) or replaces the file with a text part holding its masked
  text (``on_mask: flatten``), restored in the answer like any text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from detectors.attachments.types import Chunk, ExtractLimits
from detectors.types import Finding
from proxy.errors import (
    AttachmentBlocked,
    AttachmentKindBlocked,
    AttachmentRefused,
    TooManyAttachments,
)
from proxy.policy.model import AttachmentRules, FileKind, Policy
from proxy.relay.shapes.files import FilePart
from proxy.scanning.files import FileJob, FileResult, file_kind
from proxy.vocabulary import EntityAction

# The share of the scan deadline reading a file may use, so that a slow file is refused
# with its own reason (attachment_time_exceeded) before the deadline fails the request.
READ_SHARE_OF_DEADLINE = 0.8


@dataclass
class FileNote:
    """What happened to one file, for the metrics and the audit line (closed values)."""

    number: int
    kind: str  # a policy file kind, or "unknown" before the bytes were sniffed
    result: str = "scanned"  # scanned | allowed | blocked | flattened | refused
    scanned: bool = False
    reason: str | None = None

    def audit(self) -> dict[str, str | int]:
        out: dict[str, str | int] = {"n": self.number, "kind": self.kind, "result": self.result}
        if self.reason is not None:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A file as read: its part, kind, and (when scanned) its text chunks, which sit in
    the request's scan texts at ``first`` .. ``first + len(chunks)``."""

    part: FilePart
    kind: FileKind
    chunks: tuple[Chunk, ...]
    first: int
    note: FileNote = field(compare=False)

    @property
    def indexes(self) -> range:
        return range(self.first, self.first + len(self.chunks))


def extract_limits(policy: Policy) -> ExtractLimits:
    limits = policy.attachment_limits
    return ExtractLimits(
        max_input_bytes=limits.max_file_bytes,
        max_pages=limits.max_pages,
        max_sheets=limits.max_sheets,
        max_cells=limits.max_cells,
        max_decompressed_bytes=limits.max_decompressed_bytes,
        max_chars=policy.limits.max_scan_chars,
        max_seconds=min(
            limits.max_seconds, policy.limits.scan_timeout_seconds * READ_SHARE_OF_DEADLINE
        ),
    )


def jobs_for(files: Sequence[FilePart], policy: Policy, rules: AttachmentRules) -> list[FileJob]:
    if len(files) > policy.attachment_limits.max_files:
        raise TooManyAttachments(policy.attachment_limits.max_files)
    limits = extract_limits(policy)
    return [FileJob(f.data, f.media_type, limits, rules.actions) for f in files]


def settle(
    files: Sequence[FilePart],
    results: Sequence[FileResult],
    monitor: bool,
    first_index: int,
    notes: list[FileNote],
) -> list[ReadFile]:
    """The files to scan, each placed after ``first_index``; raises the first refusal."""
    read: list[ReadFile] = []
    position = first_index
    for part, result in zip(files, results, strict=True):
        kind = file_kind(result.kind) if result.kind is not None else None
        note = FileNote(part.number, kind or "unknown")
        notes.append(note)
        error = result.error
        if error is not None:
            note.result, note.reason = "refused", error.reason.value
            # The messages name the part (page, sheet) where it happened, never content.
            raise AttachmentRefused(
                part.number, kind, error.reason.value, error.status, error.ja, error.en
            )
        if kind is None:
            raise ValueError("a file result has a kind or an error")
        if result.action == "block" and not monitor:
            note.result = "blocked"
            raise AttachmentKindBlocked(part.number, kind)
        if result.extracted is None:  # allowed, or blocked but monitored: forwarded unread
            note.result = "allowed"
            continue
        note.scanned = True
        chunks = tuple(c for c in result.extracted.chunks if c.text)
        read.append(ReadFile(part, kind, chunks, position, note))
        position += len(chunks)
    return read


def blocked_files(
    files: Sequence[ReadFile],
    findings: Sequence[Finding],
    action_for: Callable[[str], EntityAction],
    wanted: EntityAction,
) -> list[tuple[int, str, dict[str, int]]]:
    """(number, kind, counts) of every file with findings whose action is ``wanted``."""
    out: list[tuple[int, str, dict[str, int]]] = []
    for read in files:
        indexes = read.indexes
        counts = Counter(
            f.entity_type
            for f in findings
            if f.segment in indexes and action_for(f.entity_type) == wanted
        )
        if counts:
            out.append((read.part.number, read.kind, dict(counts)))
    return out


def flattened_text(read: ReadFile, masked: Mapping[int, str]) -> str:
    """The text part that replaces a file: a line saying what it is, then its chunks
    (masked where they changed), each under its location."""
    ja_kind, en_kind = _labels(read)
    lines = [f"[{ja_kind}から抽出したテキスト（個人情報は伏せ字） / text of {en_kind}]"]
    for offset, chunk in enumerate(read.chunks):
        where = chunk.location
        lines.append(f"[{where.ja} / {where.en}]")
        lines.append(masked.get(read.first + offset, chunk.text))
    return "\n".join(lines)


def _labels(read: ReadFile) -> tuple[str, str]:
    from proxy.edge.messages import file_label

    return file_label(read.part.number, read.kind)


def refuse_unmasked(files: list[tuple[int, str, dict[str, int]]]) -> AttachmentBlocked:
    return AttachmentBlocked("attachment_mask_blocked", files)
