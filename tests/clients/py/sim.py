"""The simulator side of the comparison: fetch the same dashboard data the MCP
server reads, straight from malgomo-sim, and project it onto the documented
fields (shared/backend-contract.md §2) — what a data tool must return."""

from __future__ import annotations

import os
from typing import Any

import httpx2

SIM_URL = os.environ.get("MALGOMO_SIM_URL", "http://127.0.0.1:54321")
PERIODS = ["today", "yesterday", "7d", "30d"]
TRANSACTIONS_SHOWN = 50

# Backend-internal field names that must never reach an MCP client.
INTERNAL_FIELDS = {"_debug", "source_rows", "cache_key", "creator_id", "tx_id"}

# Stamps of the time of the answer: they differ between two fetches.
CLOCK_FIELDS = {"generated_at", "latest_fetched_at"}

# Tool name -> dashboard endpoint.
TOOLS = {
    "malgomo_get_kpis": "kpis",
    "malgomo_get_fans": "fans",
    "malgomo_get_earnings": "earnings",
}

# The documented shape of each answer: a key maps to True (a value kept as
# is), to a nested shape (an object), or to [shape] (an array of objects).
SHAPES: dict[str, dict[str, Any]] = {
    "kpis": {
        "hero_net_eur": True,
        "currency": True,
        "mobile_period": True,
        "kpi_period": True,
        "revenue_by_category_eur": dict.fromkeys(
            ["subscriptions", "tips", "messages", "posts", "streams", "referrals"], True
        ),
        "hourly_revenue_current": [{"hour": True, "net_eur": True}],
        "daily_revenue_current": [{"at": True, "net_eur": True}],
        "creator_count": True,
        "per_creator": [{"profile_name": True, "net_eur": True}],
        "latest_fetched_at": True,
    },
    "fans": {
        "period": True,
        "totals": dict.fromkeys(["free", "sub", "total"], True),
        "new_today_total": True,
        "new_in_period": dict.fromkeys(["free", "sub", "total"], True),
        "daily_new": [dict.fromkeys(["at", "new_free", "new_sub"], True)],
        "per_creator": [dict.fromkeys(["profile_name", "free", "sub", "total", "new_today"], True)],
        "generated_at": True,
    },
    "earnings": {
        "period": True,
        "currency": True,
        "period_totals": dict.fromkeys(["gross", "net"], True),
        "month": dict.fromkeys(["gross", "net", "fee"], True),
        "daily": [dict.fromkeys(["at", "gross", "net"], True)],
        "transactions": [
            dict.fromkeys(["kind", "title", "fan", "net", "gross", "at", "profile_name"], True)
        ],
        "per_creator": [dict.fromkeys(["profile_name", "gross", "net"], True)],
        "generated_at": True,
    },
}

_tokens: dict[str, str] = {}


def sim_token(email: str = "owner@agency-a.test", password: str = "owner-a-pass") -> str:
    """A Supabase password grant against the simulator (one per account, cached)."""
    if email not in _tokens:
        response = httpx2.post(
            f"{SIM_URL}/auth/v1/token",
            params={"grant_type": "password"},
            headers={"apikey": "demo-anon-key"},
            json={"email": email, "password": password},
        )
        response.raise_for_status()
        _tokens[email] = response.json()["access_token"]
    return _tokens[email]


def upstream(endpoint: str, period: str) -> dict[str, Any]:
    """The simulator's raw answer for one dashboard endpoint and period."""
    response = httpx2.get(
        f"{SIM_URL}/api/dashboard/{endpoint}",
        params={"period": period},
        headers={"authorization": f"Bearer {sim_token()}"},
    )
    response.raise_for_status()
    return response.json()


def _project(value: Any, shape: Any) -> Any:
    if shape is True:
        return value
    if isinstance(shape, list):
        return [_project(item, shape[0]) for item in value]
    return {key: _project(value[key], sub) for key, sub in shape.items()}


def without_clock(answer: dict[str, Any]) -> dict[str, Any]:
    """Drops the clock stamps, which legitimately differ between two fetches."""
    return {key: value for key, value in answer.items() if key not in CLOCK_FIELDS}


def expected(endpoint: str, raw: dict[str, Any]) -> dict[str, Any]:
    """What a data tool must return for this raw upstream answer, clock stamps
    left out. Earnings keep the newest 50 transactions (stable sort, newest
    first) and say how many there are; their optional `note` is checked apart."""
    answer = without_clock(_project(raw, SHAPES[endpoint]))
    if endpoint == "earnings":
        every = answer["transactions"]
        newest = sorted(every, key=lambda tx: tx["at"], reverse=True)  # stable
        answer["transactions"] = newest[:TRANSACTIONS_SHOWN]
        answer["transactions_total"] = len(every)
        answer["transactions_truncated"] = len(every) > TRANSACTIONS_SHOWN
    return answer


def keys_deep(value: Any) -> set[str]:
    """Every key, at any depth, of a JSON value."""
    if isinstance(value, list):
        return set().union(*(keys_deep(item) for item in value))
    if isinstance(value, dict):
        return set(value).union(*(keys_deep(item) for item in value.values()))
    return set()
