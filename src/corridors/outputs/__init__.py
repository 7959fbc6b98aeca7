"""
The files a build writes beside the maps: exports, figures, reports and tables.

Holds the exports in five formats (:mod:`~corridors.outputs.export`) and their data
dictionary (:mod:`~corridors.outputs.fields`), print figures
(:mod:`~corridors.outputs.figures`), the report (:mod:`~corridors.outputs.report`), the
lengths and reach reports (:mod:`~corridors.outputs.lengths_report`,
:mod:`~corridors.outputs.reach_report`), text tables in every format
(:mod:`~corridors.outputs.tables`) and atomic file writes (:mod:`~corridors.outputs.atomic`).

May import: :mod:`corridors.network`, :mod:`corridors.bilateral`, :mod:`corridors.measure`,
:mod:`corridors.data` and :mod:`corridors.errors`; not :mod:`corridors.maps`, its sibling.
"""
