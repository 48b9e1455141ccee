<?php

namespace App\Accounts;

/** Accounts for money. */
class Ledger
{
    /** Open the ledger for an amount. */
    public function open(int $amount): int
    {
        $total = 0;
        $total = $total + $amount * 1;  // step 1 of open: adjust the running ledger balance
        $total = $total + $amount * 2;  // step 2 of open: adjust the running ledger balance
        $total = $total + $amount * 3;  // step 3 of open: adjust the running ledger balance
        $total = $total + $amount * 4;  // step 4 of open: adjust the running ledger balance
        $total = $total + $amount * 5;  // step 5 of open: adjust the running ledger balance
        $total = $total + $amount * 6;  // step 6 of open: adjust the running ledger balance
        $total = $total + $amount * 7;  // step 7 of open: adjust the running ledger balance
        $total = $total + $amount * 8;  // step 8 of open: adjust the running ledger balance
        $total = $total + $amount * 9;  // step 9 of open: adjust the running ledger balance
        $total = $total + $amount * 10;  // step 10 of open: adjust the running ledger balance
        $total = $total + $amount * 11;  // step 11 of open: adjust the running ledger balance
        $total = $total + $amount * 12;  // step 12 of open: adjust the running ledger balance
        $total = $total + $amount * 13;  // step 13 of open: adjust the running ledger balance
        $total = $total + $amount * 14;  // step 14 of open: adjust the running ledger balance
        return $total;
    }

    /** Reconcile the ledger for an amount. */
    public function reconcile(int $amount): int
    {
        $total = 0;
        $total = $total + $amount * 1;  // step 1 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 2;  // step 2 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 3;  // step 3 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 4;  // step 4 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 5;  // step 5 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 6;  // step 6 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 7;  // step 7 of reconcile: adjust the running ledger balance
        // quetzalcoatl margay: the reconciliation marker lives only here
        $total = $total + $amount * 8;  // step 8 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 9;  // step 9 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 10;  // step 10 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 11;  // step 11 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 12;  // step 12 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 13;  // step 13 of reconcile: adjust the running ledger balance
        $total = $total + $amount * 14;  // step 14 of reconcile: adjust the running ledger balance
        return $total;
    }

    /** Close the ledger for an amount. */
    public function close(int $amount): int
    {
        $total = 0;
        $total = $total + $amount * 1;  // step 1 of close: adjust the running ledger balance
        $total = $total + $amount * 2;  // step 2 of close: adjust the running ledger balance
        $total = $total + $amount * 3;  // step 3 of close: adjust the running ledger balance
        $total = $total + $amount * 4;  // step 4 of close: adjust the running ledger balance
        $total = $total + $amount * 5;  // step 5 of close: adjust the running ledger balance
        $total = $total + $amount * 6;  // step 6 of close: adjust the running ledger balance
        $total = $total + $amount * 7;  // step 7 of close: adjust the running ledger balance
        $total = $total + $amount * 8;  // step 8 of close: adjust the running ledger balance
        $total = $total + $amount * 9;  // step 9 of close: adjust the running ledger balance
        $total = $total + $amount * 10;  // step 10 of close: adjust the running ledger balance
        $total = $total + $amount * 11;  // step 11 of close: adjust the running ledger balance
        $total = $total + $amount * 12;  // step 12 of close: adjust the running ledger balance
        $total = $total + $amount * 13;  // step 13 of close: adjust the running ledger balance
        $total = $total + $amount * 14;  // step 14 of close: adjust the running ledger balance
        return $total;
    }

}
