"""Overview: the desk's totals and charts for an editor."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from workbench.app.shared import PUBLISHED_COLUMN, VERDICT_COLOURS, shared_desk
from workbench.review import QueueFilter, desk_totals, review_queue, reviews_per_day, verdicts_by


def render() -> None:
    desk = shared_desk()
    st.title("Overview")
    totals = desk_totals(desk.ledger)
    for column, (label, value) in zip(
        st.columns(5),
        [
            ("Articles", totals.articles),
            ("Claims", totals.claims),
            ("Reviewed", totals.reviewed),
            ("Outlets", totals.outlets),
            ("Languages", totals.languages),
        ],
        strict=True,
    ):
        column.metric(label, value)
    if not totals.claims:
        st.info("No articles yet: add some on the **Articles** page.")
        return
    left, right = st.columns(2)
    with left:
        st.subheader("Verdicts by outlet")
        verdict_chart(verdicts_by(desk.ledger, "outlet"), "outlet")
    with right:
        st.subheader("Verdicts by language")
        verdict_chart(verdicts_by(desk.ledger, "language"), "language")
    st.subheader("Claims reviewed per day")
    per_day = reviews_per_day(desk.ledger)
    if per_day.empty:
        st.caption("No verdict yet.")
    else:
        st.bar_chart(per_day, x="day", y="verdicts")
    st.subheader("Most widespread claims still unreviewed")
    widest = review_queue(desk.ledger, QueueFilter(), desk.bands.least_related, limit=10)
    st.dataframe(
        widest[["text", "outlet", "language", "outlets", "languages", "published"]],
        hide_index=True,
        width="stretch",
        column_config={"published": PUBLISHED_COLUMN},
    )


def verdict_chart(frame: pd.DataFrame, column: str) -> None:
    if frame.empty:
        st.caption("No verdict yet.")
        return
    colours = alt.Scale(domain=list(VERDICT_COLOURS), range=list(VERDICT_COLOURS.values()))
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(f"{column}:N", sort="-x", title=None),
            x=alt.X("sum(claims):Q", title="claims"),
            color=alt.Color("verdict:N", scale=colours),
            tooltip=[column, "verdict", "claims"],
        )
    )
    st.altair_chart(chart, width="stretch")


if __name__ == "__main__":
    render()
