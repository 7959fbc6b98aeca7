"""
The transport network made from the corridors' segments and the sourced links.

Holds the graph and shortest routes by mode and status (:mod:`~corridors.network.graph`)
and each partner capital's reach to Pakistan's ports (:mod:`~corridors.network.reach`).

May import: :mod:`corridors.measure`, :mod:`corridors.data` and :mod:`corridors.errors`;
not :mod:`corridors.bilateral`, its sibling.
"""
