"""Split group-trip expenses and settle debts with a minimal number of transfers."""

from .ledger import Expense, Ledger
from .settle import settle

__all__ = ["Expense", "Ledger", "settle"]
__version__ = "0.3.1"
