"""The "break it on purpose" part of an experiment: the Training page's switches.

Each switch reproduces a classic bug so that a student sees which of the course's
checks catches it. They are settings like any other: journaled in the run's config,
shown by ``lab.config.diff`` (``breaks.softmax_output``), all off by default (a config
written before they existed loads with them off).
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass
class BreakConfig:
    # a softmax after the last layer: CrossEntropyLoss applies log-softmax itself
    # (caught by the initial check: outputs that already sum to 1)
    softmax_output: bool = False
    # raw 0..255 pixel values reach the model instead of (x / 255 - mean) / std
    # (caught by the initial check: input statistics and a loss far above ln N)
    no_normalization: bool = False
    # the training labels shuffled among the training images; validation keeps the true ones
    # (caught by the chance check: validation accuracy stays near 1/N while training memorises)
    shuffle_labels: bool = False
    # the learning rate multiplied by 100 (caught by the divergence check)
    lr_x100: bool = False

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def on(self) -> list[str]:
        """The switches that are on, in declaration order."""
        return [name for name in self.names() if getattr(self, name)]
