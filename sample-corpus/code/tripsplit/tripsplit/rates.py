from decimal import Decimal
from pathlib import Path

import tomllib


def load_rates(path: Path) -> dict[str, Decimal]:
    """Exchange rates to the base currency, e.g. {"JPY": Decimal("0.0061")}."""
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    return {code.upper(): Decimal(str(rate)) for code, rate in table.get("rates", {}).items()}


def convert(amount: Decimal, currency: str, rates: dict[str, Decimal], base: str = "EUR") -> Decimal:
    if currency == base:
        return amount
    try:
        return amount * rates[currency]
    except KeyError:
        raise KeyError(f"no exchange rate for {currency}; add it to rates.toml") from None
