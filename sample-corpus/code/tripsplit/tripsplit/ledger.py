from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, ROUND_HALF_EVEN


@dataclass(frozen=True)
class Expense:
    """One payment made by `payer` on behalf of `participants`."""

    payer: str
    amount: Decimal
    currency: str
    participants: tuple[str, ...]
    description: str = ""

    def share(self) -> Decimal:
        """Each participant's equal share, rounded to cents."""
        if not self.participants:
            raise ValueError(f"expense {self.description!r} has no participants")
        return (self.amount / len(self.participants)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


@dataclass
class Ledger:
    """Running balances: positive means the person is owed money."""

    base_currency: str = "EUR"
    balances: dict[str, Decimal] = field(default_factory=dict)

    def add(self, expense: Expense, rate: Decimal = Decimal(1)) -> None:
        amount = expense.amount * rate
        share = (amount / len(expense.participants)).quantize(Decimal("0.01"))
        self.balances[expense.payer] = self.balances.get(expense.payer, Decimal(0)) + amount
        for person in expense.participants:
            self.balances[person] = self.balances.get(person, Decimal(0)) - share

    def total_owed(self) -> Decimal:
        return sum((b for b in self.balances.values() if b > 0), Decimal(0))
