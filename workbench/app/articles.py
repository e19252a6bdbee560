"""Articles: upload files into the ledger, and browse what each outlet published."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from workbench.app.shared import PUBLISHED_COLUMN, reviewer, shared_desk
from workbench.ingest import SUFFIXES, save_uploads
from workbench.models import Progress
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
    outlet = st.selectbox("Outlet", outlets, key="browse_outlet")
    articles = articles_by_outlet(desk.ledger, outlet)
    st.dataframe(
        articles,
        hide_index=True,
        width="stretch",
        column_config={
            "url": st.column_config.TextColumn("url"),
            "published": PUBLISHED_COLUMN,
        },
    )
    withdraw(articles[articles.withdrawn.isna()])


def withdraw(articles: pd.DataFrame) -> None:
    """Take a retracted or wrongly ingested article off the desk; the ledger keeps who and why."""
    desk = shared_desk()
    with st.expander("Withdraw an article"):
        if articles.empty:
            st.info("Every article of this outlet is withdrawn.")
            return
        titles = dict(zip(articles.article_id, articles.title, strict=True))
        article_id = st.selectbox(
            "Article", list(titles), format_func=titles.__getitem__, key="withdraw_article"
        )
        reason = st.text_input("Why (kept in the ledger)", key="withdraw_reason")
        name = reviewer()
        if not name:
            st.caption("Enter your name in the sidebar to withdraw an article.")
        if st.button("Withdraw", key="withdraw", disabled=not (name and reason.strip())):
            claims = desk.withdraw_article(str(article_id), name, reason)
            st.success(f"Withdrawn, with its {claims} claims; they no longer appear anywhere.")


if __name__ == "__main__":
    render()
