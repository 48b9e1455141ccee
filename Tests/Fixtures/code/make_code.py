#!/usr/bin/env python3
"""Writes one source file per language beside this script: a type `Ledger` with three long methods
(open, reconcile, close), each with a doc comment, and the marker word `quetzalcoatl` inside the middle
one only, beside a word of its own per language (MARKERS). Used by the tree-sitter chunking tests. Deterministic."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
METHODS = ["open", "reconcile", "close"]


MARKERS = {"python": "axolotl", "javascript": "bandicoot", "go": "capybara", "rust": "dugong", "c": "echidna",
           "java": "fossa", "typescript": "gharial", "swift": "hoatzin", "csharp": "ibex", "kotlin": "jerboa",
           "scala": "kinkajou", "lua": "lemur", "php": "margay"}


def body(method, comment, statement, indent, language):
    lines = []
    for step in range(14):
        text = statement.format(step=step + 1)
        lines.append(f"{indent}{text}  {comment} step {step + 1} of {method}: adjust the running ledger balance")
    if method == "reconcile":
        lines.insert(7, f"{indent}{comment} quetzalcoatl {MARKERS[language]}: the reconciliation marker lives only here")
    return lines


def python():
    out = ["import math", "", "", "class Ledger:", '    """Accounts for money moving in and out."""', ""]
    for method in METHODS:
        out += [f"    def {method}(self, amount):", f'        """{method.capitalize()} the ledger for an amount."""', "        total = 0"]
        out += body(method, "#", "total = total + amount * {step}", "        ", "python")
        out += ["        return math.floor(total)", ""]
    return out


def javascript():
    out = ["'use strict';", "", "class Ledger {"]
    for method in METHODS:
        out += [f"  /** {method.capitalize()} the ledger for an amount. */", f"  {method}(amount) {{", "    let total = 0;"]
        out += body(method, "//", "total = total + amount * {step};", "    ", "javascript")
        out += ["    return total;", "  }", ""]
    return out + ["}", "", "module.exports = { Ledger };"]


def go():
    out = ["package ledger", "", "// Ledger accounts for money.", "type Ledger struct {", "\ttotal int", "}", ""]
    for method in METHODS:
        name = method.capitalize()
        out += [f"// {name} the ledger for an amount.", f"func (l *Ledger) {name}(amount int) int {{", "\ttotal := 0"]
        out += body(method, "//", "total = total + amount*{step}", "\t", "go")
        out += ["\treturn total", "}", ""]
    return out


def rust():
    out = ["/// Accounts for money.", "pub struct Ledger {", "    total: i64,", "}", "", "impl Ledger {"]
    for method in METHODS:
        out += [f"    /// {method.capitalize()} the ledger for an amount.", f"    pub fn {method}(&self, amount: i64) -> i64 {{",
                "        let mut total = 0;"]
        out += body(method, "//", "total = total + amount * {step};", "        ", "rust")
        out += ["        total", "    }", ""]
    return out + ["}"]


def c():
    out = ["#include <stdio.h>", "", "struct Ledger {", "    long total;", "};", ""]
    for method in METHODS:
        out += [f"/* {method.capitalize()} the ledger for an amount. */", f"long ledger_{method}(struct Ledger *ledger, long amount) {{",
                "    long total = 0;"]
        out += body(method, "//", "total = total + amount * {step};", "    ", "c")
        out += ["    return total;", "}", ""]
    return out


def java():
    out = ["package ledger;", "", "/** Accounts for money. */", "public class Ledger {"]
    for method in METHODS:
        out += [f"    /** {method.capitalize()} the ledger for an amount. */", f"    public long {method}(long amount) {{", "        long total = 0;"]
        out += body(method, "//", "total = total + amount * {step};", "        ", "java")
        out += ["        return total;", "    }", ""]
    return out + ["}"]


def typescript():
    # Real TypeScript, not JavaScript with types: an interface, generics, a decorator on the middle method.
    out = ["export interface Entry<T> {", "  id: number;", "  value: T;", "}", "",
           "function audited(label: string) {", "  return (target: object, key: string) => void 0;", "}", "",
           "export class Ledger<T extends Entry<number>> {", "  private entries: Map<number, T> = new Map();", ""]
    for method in METHODS:
        out += [f"  /** {method.capitalize()} the ledger for an amount. */"]
        if method == "reconcile":
            out += ['  @audited("reconcile")']
        out += [f"  {method}(amount: number, entries: ReadonlyArray<T> = []): number {{", "    let total = entries.length as number;"]
        out += body(method, "//", "total = total + amount * {step};", "    ", "typescript")
        out += ["    return total;", "  }", ""]
    return out + ["}"]


def swift():
    out = ["import Foundation", "", "/// Accounts for money.", "struct Ledger {", "    var balance: Int = 0", ""]
    for method in METHODS:
        out += [f"    /// {method.capitalize()} the ledger for an amount.", f"    func {method}(amount: Int) -> Int {{", "        var total = 0"]
        out += body(method, "//", "total = total + amount * {step}", "        ", "swift")
        out += ["        return total", "    }", ""]
    return out + ["}"]


def csharp():
    out = ["using System;", "", "namespace Accounts", "{", "    /// <summary>Accounts for money.</summary>", "    public class Ledger", "    {"]
    for method in METHODS:
        name = method.capitalize()
        out += [f"        /// <summary>{name} the ledger for an amount.</summary>", "        [Obsolete(\"use Book\")]" if method == "reconcile" else None,
                f"        public long {name}(long amount)", "        {", "            long total = 0;"]
        out = [line for line in out if line is not None]
        out += body(method, "//", "total = total + amount * {step};", "            ", "csharp")
        out += ["            return total;", "        }", ""]
    return out + ["    }", "}"]


def kotlin():
    out = ["package accounts", "", "/** Accounts for money. */", "class Ledger(val opening: Long) {"]
    for method in METHODS:
        out += [f"    /** {method.capitalize()} the ledger for an amount. */", f"    fun {method}(amount: Long): Long {{", "        var total = 0L"]
        out += body(method, "//", "total = total + amount * {step}", "        ", "kotlin")
        out += ["        return total", "    }", ""]
    return out + ["}"]


def scala():
    out = ["package accounts", "", "/** Accounts for money. */", "class Ledger(opening: Long) {"]
    for method in METHODS:
        out += [f"  /** {method.capitalize()} the ledger for an amount. */", f"  def {method}(amount: Long): Long = {{", "    var total = 0L"]
        out += body(method, "//", "total = total + amount * {step}", "    ", "scala")
        out += ["    total", "  }", ""]
    return out + ["}"]


def lua():
    out = ["-- Accounts for money.", "local Ledger = {}", "Ledger.__index = Ledger", ""]
    for method in METHODS:
        out += [f"--- {method.capitalize()} the ledger for an amount.", f"function Ledger:{method}(amount)", "  local total = 0"]
        out += body(method, "--", "total = total + amount * {step}", "  ", "lua")
        out += ["  return total", "end", ""]
    return out + ["return Ledger"]


def php():
    out = ["<?php", "", "namespace App\\Accounts;", "", "/** Accounts for money. */", "class Ledger", "{"]
    for method in METHODS:
        out += [f"    /** {method.capitalize()} the ledger for an amount. */", f"    public function {method}(int $amount): int", "    {",
                "        $total = 0;"]
        out += body(method, "//", "$total = $total + $amount * {step};", "        ", "php")
        out += ["        return $total;", "    }", ""]
    return out + ["}"]


def main():
    for name, lines in [("ledger.py", python()), ("ledger.js", javascript()), ("ledger.go", go()), ("ledger.rs", rust()),
                        ("ledger.c", c()), ("Ledger.java", java()), ("ledger.ts", typescript()),
                        ("Ledger.swift", swift()), ("Ledger.cs", csharp()), ("Ledger.kt", kotlin()), ("Ledger.scala", scala()),
                        ("ledger.lua", lua()), ("Ledger.php", php())]:
        with open(os.path.join(HERE, name), "w") as handle:
            handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
