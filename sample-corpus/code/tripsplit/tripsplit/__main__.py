import argparse
import csv
import sys
from decimal import Decimal
from pathlib import Path

from .ledger import Expense, Ledger
from .rates import convert, load_rates
from .settle import settle


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="tripsplit", description="Settle group-trip expenses.")
    parser.add_argument("csv", type=Path)
    parser.add_argument("--rates", type=Path, default=Path("rates.toml"))
    args = parser.parse_args(argv)

    rates = load_rates(args.rates) if args.rates.exists() else {}
    ledger = Ledger()
    with args.csv.open(newline="") as handle:
        for row in csv.DictReader(handle):
            expense = Expense(row["payer"], Decimal(row["amount"]), row["currency"],
                              tuple(p.strip() for p in row["participants"].split(";")), row["description"])
            ledger.add(expense, rate=convert(Decimal(1), expense.currency, rates))
    for debtor, creditor, amount in settle(ledger.balances):
        print(f"{debtor} pays {creditor} {amount:.2f} {ledger.base_currency}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
