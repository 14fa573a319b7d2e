"""Runtime: everything that talks to the warehouse (apply, load) and, later, the Luigi tasks."""
