"""Error messages of the run folder, the journal and a run's choices (seeds, expectations,
mistake marks, restoring a field): English templates keyed for the catalogue, Russian in
``lab/i18n/texts/engine_messages.py``. Raise ``lab.errors.keyed(MESSAGES, key, ...)``.
"""

from __future__ import annotations

MESSAGES = {
    "runs.no_run": "no run {run} in {root}",
    "runs.not_run_folder": "{ref} is not a run folder (no config.json in it)",
    "runs.unknown_split": "unknown split {split}: use val or test",
    "runs.seeds_count": "--seeds is 1..{limit} runs, not {n}",
    "runs.seeds_past": "seeds {first}..{last} go past the largest seed {limit}",
    "runs.no_field": "no field {path} to restore",
    "runs.top": "--top is 1..{limit}, not {top}",
    "runs.mark_verdict": "a mark is label or model (or none), not {verdict}",
    "runs.mark_index": "no image {index}: dataset indices start at 0",
    "runs.expect_why_alone": "say better, worse or same along with why (--expect)",
    "runs.expect_direction": "the expectation is better, worse or same, not {direction}",
    "runs.expect_why_long": "the reason is at most {limit} characters ({n} given)",
    "runs.damage.missing": "{file} is missing",
    "runs.damage.config": "config.json does not load: {message}",
    "runs.damage.unreadable": "{file} cannot be read: {reason}",
    "runs.damage.not_utf8": "{file} holds bytes that are not UTF-8 text",
    "runs.damage.not_json": "{file} is not JSON (cut short or edited by hand)",
    "runs.damage.not_object": "{file} holds a {kind} where a JSON object belongs",
    "runs.damage.lines": "{file}: {n:plural:line|lines} cannot be read and {n:word:is|are} skipped",
    "runs.not_journal_csv": "not a journal CSV: the column {column} is missing",
    "runs.draft_unreadable": "the experiment saved from your last visit cannot be used: {message}",
    "runs.draft_broken": "the experiment saved from your last visit is damaged (not a saved experiment of this lab)",
}
