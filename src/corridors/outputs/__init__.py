"""
The files a build writes beside the maps: exports, figures, reports and tables.

Holds the exports in five formats (:mod:`~corridors.outputs.export`) and their data
dictionary (:mod:`~corridors.outputs.fields`), print figures
(:mod:`~corridors.outputs.figures`), the report (:mod:`~corridors.outputs.report`), the
lengths and reach reports (:mod:`~corridors.outputs.lengths_report`,
:mod:`~corridors.outputs.reach_report`), text tables in every format
(:mod:`~corridors.outputs.tables`), atomic file writes (:mod:`~corridors.outputs.atomic`),
and the two engines that measure users' large files into a result: in batches on this
machine (:mod:`~corridors.outputs.stream`) or a partitioned dataset on a Dask cluster
(:mod:`~corridors.outputs.dask_lengths`, with the optional extra ``corridors[dask]``).

May import: :mod:`corridors.network`, :mod:`corridors.bilateral`, :mod:`corridors.measure`,
:mod:`corridors.data` and :mod:`corridors.errors`; not :mod:`corridors.maps`, its sibling.
"""
