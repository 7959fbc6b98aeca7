"""
The bilateral tables: relations, trade, mechanisms, visits, agreements, connectivity.

Holds their schema and row checks (:mod:`~corridors.bilateral.schema`) and the loader,
partner profiles, timeline and joins with the corridors (:mod:`~corridors.bilateral.tables`).

May import: :mod:`corridors.measure`, :mod:`corridors.data` and :mod:`corridors.errors`;
not :mod:`corridors.network`, its sibling.
"""
