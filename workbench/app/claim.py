"""Claim view: the claim in its article, its near-duplicates elsewhere, and the verdict form."""

from __future__ import annotations

import html

import streamlit as st

from workbench.app.shared import (
    PAGES,
    badge,
    direction,
    shared_desk,
    show_meta,
    show_text,
    text_html,
)
from workbench.app.shared import (
    reviewer as current_reviewer,
)
from workbench.errors import VerdictConflictError, WorkbenchError
from workbench.figures import describe
from workbench.models import Match, VerdictLabel
from workbench.provenance import Assessment
from workbench.schema import ClaimRow
from workbench.verdicts import claim_version, record_verdict, verdict_history

CONTEXT_CHARS = 1200


def render() -> None:
    desk = shared_desk()
    claim_id = st.session_state.get("claim_id") or st.query_params.get("claim", "")
    if not claim_id:
        st.title("Claim")
        st.info("Open a claim from the **Review queue** to review it.")
        st.page_link(PAGES["queue"], label="Go to the review queue", icon="📋")
        return
    st.query_params["claim"] = claim_id
    claim = desk.ledger.claim_details([claim_id]).get(claim_id)
    if claim is None:
        st.error("That claim is not in the ledger. Open another from the review queue.")
        return
    article = desk.ledger.get_article(claim.article_id)
    navigation(claim_id)
    show_text(str(claim.text), "wb-claim")
    show_meta(
        claim.outlet,
        claim.language,
        claim.published or "no date",
        article["title"],
    )
    if claim.url:
        show_meta(claim.url)
    with st.expander("The claim in its article", expanded=False):
        st.html(in_context(article, claim))
    assessment = desk.assess(claim_id)
    who_says_so(assessment)
    matches = desk.similar(claim_id)
    evidence = near_duplicates(claim_id, matches)
    suggestion_box(assessment)
    verdict_form(claim_id, evidence)
    history(claim_id)


def navigation(claim_id: str) -> None:
    queue: list[str] = st.session_state.get("queue_ids", [])
    left, right = st.columns([1, 1])
    left.page_link(PAGES["queue"], label="Back to the queue", icon="⬅️")
    if claim_id in queue:
        first, total = st.session_state.get("queue_place", (0, len(queue)))
        right.caption(f"Claim {first + queue.index(claim_id) + 1:,} of {total:,} in your queue")


def in_context(article: dict[str, object], claim: ClaimRow) -> str:
    """The article around the claim, escaped, with the claim marked."""
    source = str(article["title"] if claim.is_headline else article["text"])
    start, end = int(claim.start_offset), int(claim.end_offset)
    before = source[max(0, start - CONTEXT_CHARS) : start]
    after = source[end : end + CONTEXT_CHARS]
    return (
        f'<div class="wb-text wb-article" dir="{direction(source)}">{html.escape(before)}'
        f"<mark>{html.escape(source[start:end])}</mark>{html.escape(after)}</div>"
    )


def who_says_so(assessment: Assessment) -> None:
    """The claim's attribution, figures and how many independent origins carry it."""
    attribution = assessment.claim.attribution
    if attribution.own:
        said = "the outlet's own assertion (no source named)"
    else:
        said = f"{attribution.cue} — {attribution.source or attribution.claimant}"
        if attribution.claimant and attribution.claimant != attribution.source:
            said += f" (for {attribution.claimant})"
    facts = [
        f"Who says so: {said}",
        "hedged" if attribution.hedged else "",
        "continues an earlier statement" if attribution.inherited else "",
        f"origin: {assessment.origin}",
        f"same claim in {plural(assessment.outlets, 'outlet')}, "
        f"{plural(assessment.languages, 'language')}, "
        f"{plural(assessment.origins, 'independent origin')}",
    ]
    show_meta(*facts)
    if assessment.claim.figures:
        show_meta("Figures: " + "; ".join(describe(f) for f in assessment.claim.figures))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def suggestion_box(assessment: Assessment) -> None:
    """What the rules suggest, with reasons; the reviewer decides."""
    suggestion = assessment.suggestion
    label = suggestion.verdict.value if suggestion.verdict else "no suggestion"
    reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in suggestion.reasons)
    st.html(
        f'<div class="wb-suggestion"><b>Suggested:</b> {badge(label)} '
        f'<span class="wb-meta">rule {html.escape(suggestion.rule)}, '
        f"{html.escape(suggestion.model)} — a suggestion, not a verdict</span>"
        f'<ul dir="auto">{reasons}</ul></div>'
    )


def near_duplicates(claim_id: str, matches: list[Match]) -> list[str]:
    """Show the matches from other outlets; return the ids the reviewer ticks as evidence."""
    st.subheader("Near-duplicates from other outlets")
    desk = shared_desk()
    if not desk.bands.is_calibrated:
        st.caption(
            f"The bands of {desk.encoder.name} are guessed, not calibrated "
            "(`python -m workbench bench calibrate` sets them)."
        )
    if not matches:
        st.info("No other outlet carries a similar claim yet. Judge it on its own sources.")
        return []
    st.caption(
        "Same-claim and related matches first, each language in turn, best first; "
        "similarity is the meaning score the bands are set on."
    )
    chosen = []
    for match in matches:
        with st.container(border=True):
            left, right = st.columns([6, 1])
            left.html(text_html(match.text))
            with left:
                show_meta(
                    match.outlet,
                    match.language,
                    match.published,
                    f"{match.band} ({match.band_reason})" if match.band_reason else match.band,
                    f"similarity {match.score:.2f}",
                    f"origin: {match.origin}",
                )
                for conflict in match.conflicting_figures:
                    st.html(
                        '<div class="wb-conflict">Conflicting figures: '
                        f"{html.escape(conflict.claim)} here vs "
                        f"{html.escape(conflict.match)} there</div>"
                    )
                if match.agreeing_figures:
                    agreed = ", ".join(match.agreeing_figures)
                    st.html(f'<div class="wb-agree">Agreeing figures: {html.escape(agreed)}</div>')
            if right.checkbox("Evidence", key=f"evidence-{claim_id}-{match.claim_id}"):
                chosen.append(match.claim_id)
    return chosen


def verdict_form(claim_id: str, evidence: list[str]) -> None:
    desk = shared_desk()
    st.subheader("Your verdict")
    reviewer = current_reviewer()
    seen_key = f"seen-version-{claim_id}"
    if seen_key not in st.session_state:
        st.session_state[seen_key] = claim_version(desk.ledger, claim_id)
    note = st.text_area(
        "Rationale", key=f"note-{claim_id}", placeholder="Why, and on what evidence"
    )
    columns = st.columns(3)
    clicked = None
    for column, label in zip(columns, VerdictLabel, strict=True):
        if column.button(
            label.value.capitalize(),
            key=f"verdict-{label}",
            width="stretch",
            disabled=not reviewer,
        ):
            clicked = label
    if not reviewer:
        st.warning("Enter your name in the sidebar before giving a verdict.")
    conflict = st.session_state.get(f"conflict-{claim_id}")
    if conflict:
        st.warning(conflict)
        if st.button("Add my verdict anyway", key="override"):
            clicked = VerdictLabel(st.session_state[f"pending-{claim_id}"])
            st.session_state[seen_key] = claim_version(desk.ledger, claim_id)
    if clicked is None:
        return
    try:
        record_verdict(
            desk.ledger,
            claim_id,
            clicked,
            reviewer,
            note,
            evidence,
            seen_version=st.session_state[seen_key],
        )
    except VerdictConflictError as error:
        st.session_state[f"conflict-{claim_id}"] = str(error)
        st.session_state[f"pending-{claim_id}"] = clicked.value
        st.rerun()
    except WorkbenchError as error:
        st.error(str(error))
        return
    for key in (f"conflict-{claim_id}", f"pending-{claim_id}", seen_key):
        st.session_state.pop(key, None)
    st.toast(f"Recorded: {clicked.value}")
    advance(claim_id)


def advance(claim_id: str) -> None:
    """Open the next claim of the reviewer's queue, or go back to the queue at its end."""
    queue: list[str] = st.session_state.get("queue_ids", [])
    position = queue.index(claim_id) if claim_id in queue else -1
    if 0 <= position < len(queue) - 1:
        st.session_state["claim_id"] = queue[position + 1]
        st.rerun()
    st.session_state["claim_id"] = ""
    st.switch_page(PAGES["queue"])


def history(claim_id: str) -> None:
    verdicts = verdict_history(shared_desk().ledger, claim_id)
    st.subheader("Verdict history")
    if not verdicts:
        st.caption("No verdict yet.")
        return
    for verdict in reversed(verdicts):
        st.html(
            f"{badge(verdict.label.value)} "
            f'<span class="wb-meta">{html.escape(verdict.reviewer)} · '
            f"{verdict.created_at:%Y-%m-%d %H:%M} UTC</span>"
            + (text_html(verdict.note) if verdict.note else "")
            + (
                f'<div class="wb-meta">evidence: {html.escape(", ".join(verdict.evidence))}</div>'
                if verdict.evidence
                else ""
            )
        )


if __name__ == "__main__":
    render()
