"""A template library whose loading fails: stands in for a layout that cannot render (tests only)."""

raise RuntimeError("this template library is broken on purpose")
