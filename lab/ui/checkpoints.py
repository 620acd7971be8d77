"""Checkpoints for the pages, loaded once per process (``lab.model.checkpoint``: weights_only,
keys and shapes checked) and shared by every session that picks the same file."""

from __future__ import annotations

import streamlit as st

from lab.model.checkpoint import Checkpoint, load_checkpoint


@st.cache_resource(show_spinner=False, max_entries=8)
def run_checkpoint(path: str, mtime: float) -> Checkpoint:  # mtime: a retrained run reloads
    return load_checkpoint(path)


@st.cache_resource(show_spinner=False, max_entries=4)
def uploaded_checkpoint(data: bytes) -> Checkpoint:
    return load_checkpoint(data)  # weights_only=True, keys and shapes checked
