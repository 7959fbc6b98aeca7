"""
The interactive maps: the atlas page and one page per corridor, offline and safe.

Holds the pages and their layers (:mod:`~corridors.maps.pages`, where the extension
point for a new layer is described), what a layer's payload receives
(:mod:`~corridors.maps.inputs`), the measured facts of the panels
(:mod:`~corridors.maps.facts`), geometry written for the browser
(:mod:`~corridors.maps.features`), the bilateral and timeline layers
(:mod:`~corridors.maps.bilateral`, :mod:`~corridors.maps.timeline`), the style table and
legend (:mod:`~corridors.maps.style`), escaped injection into the HTML
(:mod:`~corridors.maps.html`), inlined assets (:mod:`~corridors.maps.assets`) and the
page scripts and stylesheet under ``maps/static/``.

May import: :mod:`corridors.network`, :mod:`corridors.bilateral`, :mod:`corridors.measure`,
:mod:`corridors.data` and :mod:`corridors.errors`; not :mod:`corridors.outputs`, its sibling.
"""
