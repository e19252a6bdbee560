"""Export: the current verdicts as the same CSV file that `workbench export` writes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from workbench.app.shared import shared_desk
from workbench.export import export_csv
from workbench.models import VerdictLabel
from workbench.review import facets
from workbench.verdicts import reviewers as reviewer_names


def render() -> None:
    desk = shared_desk()
    st.title("Export verdicts")
    verdicts = st.multiselect("Verdicts", [label.value for label in VerdictLabel])
    outlets = st.multiselect("Outlets", facets(desk.ledger)["outlets"])
    reviewers = st.multiselect("Reviewers", reviewer_names(desk.ledger))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "verdicts.csv"
        rows = export_csv(desk.ledger, path, verdicts, outlets, reviewers)
        data = path.read_bytes()
    if not rows:
        st.info("No verdict matches yet. Review claims in the **Review queue**, then come back.")
    st.download_button(
        f"Download {rows} verdicts (CSV)",
        data=data,
        file_name="verdicts.csv",
        mime="text/csv",
        type="primary",
        disabled=not rows,
    )
    st.caption("UTF-8 with a byte-order mark, so that spreadsheets show Arabic correctly.")


if __name__ == "__main__":
    render()
