"""The simplifier: patterns, named rewrite rules, cost, algebra, the engine."""
