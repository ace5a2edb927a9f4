"""Photographs kept in the vault (encrypted with it, never as files) and the vault's settings.

A photograph belongs to an owner named by kind and id (`owner_kind`, `owner_id`): an observation
today, a body-map mark once there are marks; PHOTOGRAPH_OWNERS lists the tables that may own one.
It is a draft while its owner is, and goes final with it; a final photograph is never changed or
removed (the triggers in store/integrity.py refuse), and a correction is an amendment of its owner
(field `photograph.<id>`). Its bytes are in `photograph_chunk` rows of at most CHUNK_BYTES, so no
single value is larger than SQLite handles comfortably; `sha256` (sealed with the photograph)
vouches for them, and `verify` recomputes it.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.photographs import OWNER_KINDS
from practitioner_app.store.base import Attributed, Base, enum_column
from practitioner_app.store.people import Child

CHUNK_BYTES = 1024 * 1024
# Tables whose rows may own photographs (owner_kind names one): domain/photographs.py.
PHOTOGRAPH_OWNERS = OWNER_KINDS


class Photograph(Attributed, Base):
    """One photograph's record: whose, of what, when taken, the hash of the bytes kept, and who
    attached it (the author columns). The bytes are in PhotographChunk."""

    __tablename__ = "photograph"

    child_id: Mapped[str] = mapped_column(ForeignKey(Child.id), index=True)
    owner_kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[EntryStatus] = mapped_column(
        enum_column(EntryStatus, "entry_status"), default=EntryStatus.DRAFT
    )
    media_type: Mapped[str] = mapped_column(String(20))
    byte_count: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # SHA-256 (hex) of the bytes as stored: after location and device data were removed.
    sha256: Mapped[str] = mapped_column(String(64))
    # When the camera said it was taken (EXIF DateTimeOriginal, read before it was removed);
    # None when the file did not say.
    captured_at: Mapped[datetime | None]
    attached_at: Mapped[datetime]
    location_removed: Mapped[bool]
    device_removed: Mapped[bool]
    finalised_at: Mapped[datetime | None]


class PhotographChunk(Base):
    """Part of a photograph's bytes, in order of `seq` from 0."""

    __tablename__ = "photograph_chunk"

    photograph_id: Mapped[str] = mapped_column(ForeignKey(Photograph.id), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class VaultSetting(Attributed, Base):
    """A setting of this vault (not of the computer: QSettings holds those), such as whether the
    organisation allows photographs. Who changed it last is in the author columns; every change
    is audited and sealed."""

    __tablename__ = "vault_setting"

    name: Mapped[str] = mapped_column(String(60), unique=True)
    value: Mapped[str]
