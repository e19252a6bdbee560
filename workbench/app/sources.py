"""Sources: the registry of who is who (propaganda outlets, monitors...), edited with audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from workbench.app.shared import reviewer, shared_desk
from workbench.errors import WorkbenchError
from workbench.sources import Source, SourceKind


def render() -> None:
    desk = shared_desk()
    st.title("Sources")
    registry = desk.registry()
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": s.source_id,
                    "name": s.name,
                    "kind": s.kind.value,
                    "speaks for": s.claimant,
                    "aliases": " | ".join(s.aliases),
                    "why": s.note,
                    "set by": s.set_by,
                    "set at": s.set_at,
                }
                for s in registry.sources
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.subheader("Add or change a source")
    st.caption("Every change is kept in the ledger with your name and the time.")
    ids = [s.source_id for s in registry.sources]
    with st.form("source"):
        source_id = st.text_input(
            "Id (an existing id changes that source)", placeholder="amaq", key="source-id"
        )
        name = st.text_input("Name", key="source-name")
        aliases = st.text_input(
            "Other names, separated by |", placeholder="أعماق | A'maq", key="source-aliases"
        )
        kind = st.selectbox("Kind", [k.value for k in SourceKind], key="source-kind")
        claimant = st.selectbox("Speaks for", ["", *ids], key="source-claimant")
        note = st.text_area("Why (the evidence for this classification)", key="source-note")
        submitted = st.form_submit_button("Save", disabled=not reviewer(), key="source-save")
    if not reviewer():
        st.warning("Enter your name in the sidebar before changing the registry.")
    if not submitted:
        return
    try:
        desk.record_source(
            Source(
                source_id=source_id.strip().lower(),
                name=name.strip(),
                aliases=tuple(a.strip() for a in aliases.split("|") if a.strip()),
                kind=SourceKind(kind),
                claimant=claimant,
                note=note.strip(),
                set_by=reviewer(),
                set_at=datetime.now(UTC).date(),
            ),
            actor=reviewer(),
        )
    except WorkbenchError as error:
        st.error(str(error))
        return
    st.success(f"Saved {source_id}.")
    st.rerun()


if __name__ == "__main__":
    render()
