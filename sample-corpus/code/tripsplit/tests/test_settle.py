from decimal import Decimal

from tripsplit import Expense, Ledger, settle


def test_three_friends_dinner():
    ledger = Ledger()
    ledger.add(Expense("ana", Decimal("90"), "EUR", ("ana", "bruno", "chen")))
    transfers = settle(ledger.balances)
    assert sorted(transfers) == [("bruno", "ana", Decimal("30")), ("chen", "ana", Decimal("30"))]


def test_everyone_even_needs_no_transfer():
    assert settle({"ana": Decimal(0), "bruno": Decimal(0)}) == []
