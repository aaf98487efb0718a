"""The signed-in home page's parts: each feature registers its panels and cards, and home draws them.

A panel is a partial template with what it shows for one person (its context), drawn above the
cards, most important first: a reply waiting, a questionnaire due, where to carry on reading. A card
links to one of a feature's pages for the people who may use it. Home itself knows no feature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, url_for


@dataclass(frozen=True)
class HomeCard:
    title: Any  # lazy gettext strings, translated when the page is drawn
    description: Any
    endpoint: str
    visible: Callable[[Any], bool]
    order: int


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable[[Any], dict | None]  # what the panel shows this person; None leaves it out
    order: int


def register_card(
    app: Flask, title: Any, description: Any, endpoint: str, visible: Callable[[Any], bool], order: int
) -> None:
    """Offer a card on home linking to `endpoint`, for the people `visible` allows, by `order`."""
    cards: list[HomeCard] = app.extensions.setdefault("home_cards", [])
    if any(card.endpoint == endpoint for card in cards):
        return
    cards.append(HomeCard(title, description, endpoint, visible, order))
    cards.sort(key=lambda card: card.order)


def register_panel(app: Flask, template: str, context: Callable[[Any], dict | None], order: int) -> None:
    """Draw `template` on home, above the cards, for each person `context` gives something to show."""
    panels: list[HomePanel] = app.extensions.setdefault("home_panels", [])
    if any(panel.template == template for panel in panels):
        return
    panels.append(HomePanel(template, context, order))
    panels.sort(key=lambda panel: panel.order)


def cards_for(user: Any) -> list[dict]:
    """The cards this person may use, in order, ready to draw."""
    return [
        {"href": url_for(card.endpoint), "title": card.title, "description": card.description}
        for card in current_app.extensions.get("home_cards", [])
        if card.visible(user)
    ]


def panels_for(user: Any) -> list[dict]:
    """The panels with something to show this person: each its template and what it shows."""
    shown = []
    for panel in current_app.extensions.get("home_panels", []):
        context = panel.context(user)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown
