"""What every page uses: the shared desk, safe text rendering, the reviewer's name."""

from __future__ import annotations

import html

import streamlit as st

from workbench.desk import Desk
from workbench.models import VerdictLabel
from workbench.settings import load_settings
from workbench.text import is_rtl

# Published dates as dates (DuckDB's DATE reaches pandas as a timestamp at midnight).
PUBLISHED_COLUMN = st.column_config.DateColumn("published", format="YYYY-MM-DD")
VERDICT_COLOURS = {
    VerdictLabel.CORROBORATED.value: "#2e7d32",
    VerdictLabel.DISPUTED.value: "#ef6c00",
    VerdictLabel.PROPAGANDA_SOURCED.value: "#c62828",
}

STYLE = """
<style>
.wb-text { unicode-bidi: plaintext; text-align: start; white-space: pre-wrap; line-height: 1.6; }
.wb-text[dir="rtl"] { text-align: right; font-size: 1.05em; }
.wb-claim { font-size: 1.25em; font-weight: 600; }
.wb-meta { color: #666; font-size: 0.85em; }
.wb-article { max-height: 22em; overflow-y: auto; padding: 0.6em; border: 1px solid #ddd;
              border-radius: 0.4em; background: #fafafa; }
.wb-article mark { background: #ffe082; padding: 0.1em 0; }
.wb-conflict { color: #b71c1c; font-weight: 600; font-size: 0.9em; }
.wb-agree { color: #1b5e20; font-size: 0.9em; }
.wb-suggestion { border-left: 4px solid #9e9e9e; padding: 0.3em 0.8em; background: #f5f5f5; }
.wb-badge { display: inline-block; padding: 0.05em 0.5em; border-radius: 0.8em; color: white;
            font-size: 0.8em; }
</style>
"""


@st.cache_resource(show_spinner="Loading the model and the index…")
def shared_desk() -> Desk:
    """One desk per server process, shared by every session (its methods are thread-safe)."""
    desk = Desk(load_settings())
    desk.index()  # load the model and catch the index up before the first user waits on it
    desk.keep_warm()
    return desk


def direction(text: str) -> str:
    return "rtl" if is_rtl(text) else "ltr"


def text_html(text: str, css: str = "") -> str:
    """Untrusted text as an escaped block, right-to-left where the script is."""
    return f'<div class="wb-text {css}" dir="{direction(text)}">{html.escape(text)}</div>'


def show_text(text: str, css: str = "") -> None:
    st.html(text_html(text, css))


def show_meta(*parts: object) -> None:
    """A line of small grey facts (outlet, language, date...), each escaped."""
    # <bdi> keeps an Arabic outlet name from reordering the facts around it.
    line = " · ".join(
        f"<bdi>{html.escape(str(part))}</bdi>" for part in parts if part not in (None, "")
    )
    st.html(f'<div class="wb-meta" dir="auto">{line}</div>')


def badge(verdict: str) -> str:
    colour = VERDICT_COLOURS.get(verdict, "#757575")
    return f'<span class="wb-badge" style="background:{colour}">{html.escape(verdict)}</span>'


def reviewer_box() -> str:
    """The reviewer's name, asked for once in the sidebar; empty until given."""
    # Widget values do not survive a page switch, so the name lives under a key of its own.
    st.session_state["reviewer_input"] = st.session_state.get("reviewer", "")
    st.sidebar.text_input(
        "Your name (shown on your verdicts)",
        key="reviewer_input",
        placeholder="e.g. Amal Haddad",
        on_change=remember_reviewer,
    )
    return reviewer()


def remember_reviewer() -> None:
    st.session_state["reviewer"] = st.session_state["reviewer_input"].strip()


def reviewer() -> str:
    name: str = st.session_state.get("reviewer", "")
    return name


# The pages, registered by streamlit_app.py so that pages can send the user to one another.
PAGES: dict[str, st.Page] = {}


def open_claim(
    claim_id: str, queue: list[str] | None = None, first: int = 0, total: int | None = None
) -> None:
    """Go to the claim view; `queue` is the part of the queue the reviewer is working through,
    from its position `first` in a queue of `total` claims."""
    st.session_state["claim_id"] = claim_id
    if queue is not None:
        st.session_state["queue_ids"] = queue
        st.session_state["queue_place"] = (first, len(queue) if total is None else total)
    st.switch_page(PAGES["claim"])
