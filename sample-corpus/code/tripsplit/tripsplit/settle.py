from __future__ import annotations

import heapq
from decimal import Decimal


def settle(balances: dict[str, Decimal]) -> list[tuple[str, str, Decimal]]:
    """Greedy settlement: the largest debtor pays the largest creditor until everyone is even.

    Produces at most n - 1 transfers for n people, which is optimal in the common case.
    """
    creditors = [(-amount, name) for name, amount in balances.items() if amount > 0]
    debtors = [(amount, name) for name, amount in balances.items() if amount < 0]
    heapq.heapify(creditors)
    heapq.heapify(debtors)
    transfers = []
    while creditors and debtors:
        credit, creditor = heapq.heappop(creditors)
        debt, debtor = heapq.heappop(debtors)
        paid = min(-credit, -debt)
        transfers.append((debtor, creditor, paid))
        if -credit > paid:
            heapq.heappush(creditors, (credit + paid, creditor))
        if -debt > paid:
            heapq.heappush(debtors, (debt + paid, debtor))
    return transfers
