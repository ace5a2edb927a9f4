"""Photographs and vault settings: rows in, rows out (never committing)."""

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from practitioner_app.domain.enums import EntryStatus
from practitioner_app.store.photographs import (
    CHUNK_BYTES,
    Photograph,
    PhotographChunk,
    VaultSetting,
)


class PhotographRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, data: bytes, **columns: Any) -> Photograph:
        """A photograph row with its bytes in chunks of CHUNK_BYTES."""
        photograph = Photograph(**columns)
        self.session.add(photograph)
        self.session.flush()
        self.session.add_all(
            PhotographChunk(
                photograph_id=photograph.id, seq=seq, data=data[start : start + CHUNK_BYTES]
            )
            for seq, start in enumerate(range(0, len(data), CHUNK_BYTES))
        )
        self.session.flush()
        return photograph

    def get(self, photograph_id: str) -> Photograph | None:
        return self.session.get(Photograph, photograph_id)

    def of_owner(self, owner_kind: str, owner_id: str) -> Sequence[Photograph]:
        """An owner's photographs, in the order they were attached."""
        query = (
            select(Photograph)
            .where(Photograph.owner_kind == owner_kind, Photograph.owner_id == owner_id)
            .order_by(Photograph.attached_at, Photograph.id)
        )
        return self.session.scalars(query).all()

    def of_owners(self, owner_kind: str, owner_ids: Sequence[str]) -> Sequence[Photograph]:
        found: list[Photograph] = []
        ids = list(owner_ids)
        for start in range(0, len(ids), 500):
            query = (
                select(Photograph)
                .where(
                    Photograph.owner_kind == owner_kind,
                    Photograph.owner_id.in_(ids[start : start + 500]),
                )
                .order_by(Photograph.attached_at, Photograph.id)
            )
            found += self.session.scalars(query).all()
        return found

    def of_child(self, child_id: str) -> Sequence[Photograph]:
        query = (
            select(Photograph)
            .where(Photograph.child_id == child_id)
            .order_by(Photograph.attached_at, Photograph.id)
        )
        return self.session.scalars(query).all()

    def data(self, photograph_id: str) -> bytes:
        """A photograph's bytes, its chunks joined in order."""
        query = (
            select(PhotographChunk.data)
            .where(PhotographChunk.photograph_id == photograph_id)
            .order_by(PhotographChunk.seq)
        )
        return b"".join(self.session.scalars(query))

    def finalise_owner(self, owner_kind: str, owner_id: str, at: datetime) -> list[str]:
        """Make an owner's draft photographs final with it; their ids."""
        ids = [p.id for p in self.of_owner(owner_kind, owner_id) if p.status is EntryStatus.DRAFT]
        if ids:
            self.session.execute(
                update(Photograph)
                .where(Photograph.id.in_(ids))
                .values(status=EntryStatus.FINAL, finalised_at=at)
            )
            self.session.flush()
            for photograph in self.of_owner(owner_kind, owner_id):
                self.session.refresh(photograph)
        return ids

    def delete_draft(self, photograph: Photograph) -> None:
        self.session.query(PhotographChunk).filter(
            PhotographChunk.photograph_id == photograph.id
        ).delete()
        self.session.delete(photograph)
        self.session.flush()

    def final_digests(self) -> list[tuple[str, str, str]]:
        """(id, sha256 recorded, sha256 of the bytes now) of every final photograph, for verify."""
        result = []
        for photograph_id, recorded in self.session.execute(
            select(Photograph.id, Photograph.sha256).where(Photograph.status == EntryStatus.FINAL)
        ):
            digest = hashlib.sha256(self.data(photograph_id)).hexdigest()
            result.append((photograph_id, recorded, digest))
        return result


class VaultSettingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, name: str) -> VaultSetting | None:
        return self.session.scalars(select(VaultSetting).where(VaultSetting.name == name)).first()

    def put(self, name: str, value: str, **authorship: Any) -> VaultSetting:
        row = self.get(name)
        if row is None:
            row = VaultSetting(name=name, value=value, **authorship)
            self.session.add(row)
        else:
            row.value = value
            for key, item in authorship.items():
                setattr(row, key, item)
        self.session.flush()
        return row
