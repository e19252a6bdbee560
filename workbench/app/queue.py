"""Review queue: the claims that still need a verdict, filtered and sorted."""

from __future__ import annotations

import streamlit as st

from workbench.app.shared import badge, open_claim, shared_desk, show_meta, text_html
from workbench.models import VerdictLabel
from workbench.review import (
    PAGE_SIZE,
    UNREVIEWED,
    QueueFilter,
    desk_totals,
    facets,
    queue_size,
    review_queue,
)

WORKING_SET = 500  # claims that the claim view's next claim steps through
STATUSES = [UNREVIEWED, *(label.value for label in VerdictLabel)]


def render() -> None:
    desk = shared_desk()
    st.title("Review queue")
    totals = desk_totals(desk.ledger)
    if not totals.claims:
        st.info("No articles yet. Add some on the **Articles** page, or load the demo: `make run`.")
        return
    st.progress(
        totals.reviewed / totals.claims,
        text=f"{totals.reviewed:,} of {totals.claims:,} claims reviewed",
    )
    chosen = filters(facets(desk.ledger))
    related = desk.bands.least_related
    total = queue_size(desk.ledger, chosen, related)
    if not total:
        if chosen.statuses == (UNREVIEWED,) and not (chosen.search or chosen.outlets):
            st.success("Everything here is reviewed. Add articles, or widen the filters.")
        else:
            st.info("No claim matches these filters. Clear some filters to see more.")
        return
    pages = max(1, -(-total // PAGE_SIZE))
    page = st.columns([1, 4])[0].number_input(f"Page (of {pages})", 1, pages, 1) if pages > 1 else 1
    st.caption(f"{total:,} claims")
    # Only the page is read: the whole queue took 4-6 s at a million claims.
    offset = (page - 1) * PAGE_SIZE
    for row in review_queue(desk.ledger, chosen, related, PAGE_SIZE, offset).itertuples():
        with st.container(border=True):
            left, right = st.columns([6, 1])
            left.html(text_html(str(row.text)))
            with left:
                show_meta(
                    row.outlet,
                    row.language,
                    row.published.date() if hasattr(row.published, "date") else row.published,
                    row.event,
                    f"{row.outlets} outlets, {row.languages} languages",
                )
            if row.status != UNREVIEWED:
                left.html(badge(str(row.status)))
            if right.button("Open", key=f"open-{row.claim_id}", type="primary"):
                # The claims the reviewer works through from here, one after another.
                ahead = review_queue(desk.ledger, chosen, related, WORKING_SET, offset)
                open_claim(str(row.claim_id), ahead.claim_id.tolist(), offset, total)
            right.button(
                "Cluster",
                key=f"cluster-{row.claim_id}",
                help="Show this claim with its near-duplicates, reviewed or not",
                on_click=show_cluster,
                args=(str(row.claim_id),),
            )


def show_cluster(claim_id: str) -> None:
    st.session_state["queue_cluster"] = claim_id
    st.session_state["queue_status"] = []


def show_all() -> None:
    st.session_state["queue_cluster"] = ""
    st.session_state["queue_status"] = [UNREVIEWED]


def filters(values: dict[str, list[str]]) -> QueueFilter:
    with st.expander("Filters", expanded=True):
        first, second, third = st.columns(3)
        search = first.text_input("Search the claims' text", key="queue_search")
        outlets = first.multiselect("Outlets", values["outlets"], key="queue_outlets")
        languages = second.multiselect("Languages", values["languages"], key="queue_languages")
        events = second.multiselect("Events", values["events"], key="queue_events")
        statuses = third.multiselect("Status", STATUSES, default=[UNREVIEWED], key="queue_status")
        dates = third.date_input("Published between", value=[], key="queue_dates")
        sort = first.radio(
            "Sort by",
            ["spread", "date"],
            horizontal=True,
            key="queue_sort",
            format_func=lambda s: "widest spread" if s == "spread" else "newest",
        )
        cluster = st.session_state.get("queue_cluster", "")
        if cluster:
            st.write("Showing one claim and its near-duplicates.")
            st.button("Back to the whole queue", on_click=show_all)
    since = dates[0] if len(dates) > 0 else None
    until = dates[1] if len(dates) > 1 else None
    return QueueFilter(
        outlets=tuple(outlets),
        languages=tuple(languages),
        events=tuple(events),
        statuses=tuple(statuses),
        since=since,
        until=until,
        search=search,
        cluster=cluster,
        sort=sort,
    )


if __name__ == "__main__":
    render()
