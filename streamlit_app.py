"""Claim Workbench in the browser: `streamlit run streamlit_app.py`."""

import streamlit as st

from workbench.app.shared import PAGES, STYLE, reviewer_box

st.set_page_config(page_title="Claim Workbench", page_icon="🔎", layout="wide")
st.html(STYLE)
reviewer_box()
PAGES.update(
    queue=st.Page("workbench/app/queue.py", title="Review queue", default=True),
    claim=st.Page("workbench/app/claim.py", title="Claim", url_path="claim"),
    articles=st.Page("workbench/app/articles.py", title="Articles", url_path="articles"),
    export=st.Page("workbench/app/download.py", title="Export", url_path="export"),
    overview=st.Page("workbench/app/overview.py", title="Overview", url_path="overview"),
    sources=st.Page("workbench/app/sources.py", title="Sources", url_path="sources"),
)
sections = {
    "Review": [PAGES["queue"], PAGES["claim"]],
    "Desk": [PAGES["articles"], PAGES["sources"], PAGES["export"], PAGES["overview"]],
}
st.navigation(sections).run()
