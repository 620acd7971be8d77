"""The dataset engine's error messages the Dataset page shows (folders, zip archives):
English templates keyed for the catalogue (Russian in ``lab/i18n/texts/engine_messages.py``).
Raise ``lab.errors.keyed(MESSAGES, key, ...)``; placeholders hold paths, names and numbers, never English prose.
"""

from __future__ import annotations


MESSAGES = {
    "data.archive_missing": "archive not found: {path}",
    "data.unknown_dataset": "unknown dataset {name}{close}: use one of {known} or a path to an image folder",
    "data.unknown_builtin": "unknown dataset {name}{close}: use one of {known} or a folder",
    "data.folder_missing": "folder not found: {path}",
    "data.not_folder": "not a folder: {path} (give a folder with one subfolder per class, or a .zip)",
    "data.no_classes": "{path} has no class subfolders: put each class's images in a folder named after the class",
    "data.few_classes": "{path} has {n} class folder(s); a classifier needs at least 2",
    "data.no_images": "no readable images under {path}",
    "data.no_samples": "no bundled samples for {name} ({path} is missing)",
    # why one file of a folder was skipped (the Dataset page's table of unreadable files)
    "data.skip.type": "not an image file type",
    "data.skip.unreadable": "cannot read: {reason}",
    "data.skip.empty": "empty file",
    "data.skip.not_image": "not a readable image ({kind})",
    "archive.not_zip": "this file is not a readable zip archive (damaged, cut short, or another format): "
                       "make the zip again and upload it",
    "archive.too_many": "the archive holds {n:count} entries, more than the limit of {limit:count}: put fewer files in it",
    "archive.too_big": "the archive expands to {size}; it must stay under {limit}: use fewer or smaller images",
    "archive.outside": "the archive entry {name} points outside the folder; refused",
    "archive.link": "the archive entry {name} is a link, not a file; refused",
    "archive.lied": "the archive expands to more than its entries declare, at least {size}; refused at the "
                    "limit of {limit}",
    "archive.toc": "the archive's table of contents is damaged: make the zip again",
    "archive.unpack": "cannot unpack the archive: {reason}",
    "archive.unpack_into": "cannot unpack the archive into {path}: {reason}",
    "archive.damaged": "the archive is damaged (an entry cannot be decompressed): make the zip again",
}

