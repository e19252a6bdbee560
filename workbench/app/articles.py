"""Articles: upload files into the ledger, and browse what each outlet published."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from workbench.app.shared import shared_desk
from workbench.desk import Progress
from workbench.ingest import SUFFIXES, save_uploads
from workbench.review import articles_by_outlet, facets


def render() -> None:
    st.title("Articles")
    upload()
    browse()


def upload() -> None:
    desk = shared_desk()
    st.subheader("Add articles")
    files = st.file_uploader(
        "JSONL, CSV, plain-text or saved HTML files",
        type=[suffix.lstrip(".") for suffix in sorted(SUFFIXES)],
        accept_multiple_files=True,
    )
    outlet = st.text_input("Outlet of .txt and .html files (when the page does not say)")
    if not st.button("Add to the ledger", type="primary", disabled=not files):
        return
    bar = st.progress(0.0, text="Reading…")

    def show(progress: Progress) -> None:
        share = progress.done / progress.total if progress.total else 0.0
        bar.progress(
            min(share, 1.0), text=f"{progress.articles} articles, {progress.claims} claims"
        )

    with tempfile.TemporaryDirectory() as folder:
        uploads = [(file.name, file.getvalue()) for file in files or []]
        paths = save_uploads(uploads, Path(folder))
        report = desk.ingest(paths, outlet=outlet.strip() or None, progress=show, actor="app")
        names = {str(path): name for path, (name, _) in zip(paths, uploads, strict=True)}
        rejected = pd.DataFrame(
            [
                {"file": names.get(e.path, Path(e.path).name), "line": e.line, "reason": e.reason}
                for e in report.errors
            ]
        )
    bar.progress(1.0, text="Done")
    st.success(
        f"{report.added} articles added ({report.claims} claims); "
        f"{report.duplicates} skipped as already in the ledger; {len(report.errors)} rejected."
    )
    if not rejected.empty:
        st.dataframe(rejected, hide_index=True, width="stretch")


def browse() -> None:
    desk = shared_desk()
    st.subheader("Browse by outlet")
    outlets = facets(desk.ledger)["outlets"]
    if not outlets:
        st.info("No articles yet: upload some above, or run `make run` to load the demo corpus.")
        return
    outlet = st.selectbox("Outlet", outlets)
    st.dataframe(
        articles_by_outlet(desk.ledger, outlet),
        hide_index=True,
        width="stretch",
        column_config={"url": st.column_config.TextColumn("url")},
    )


if __name__ == "__main__":
    render()
