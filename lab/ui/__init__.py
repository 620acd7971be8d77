"""The only part of ``lab`` that imports Streamlit: shared widgets, charts, session
state and the text catalogue. Pages import from here and from the engine."""
