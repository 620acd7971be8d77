"""The Training page's estimate for a ready torchvision network (lab/ui/training/ready_estimate.py)."""

TEXTS = {
    "training.ready.estimate": {
        "en": "**{arch}** on this machine: about **{time} per epoch** ({images} training images at about {speed} "
              "images/s; {source}).",
        "ru": "**{arch}** на этой машине: около **{time} на эпоху** ({images} обучающих изображений, примерно "
              "{speed} изображений/с; {source}).",
    },
    "training.ready.calibrated": {"en": "from this machine's calibrated speed",
                                  "ru": "по откалиброванной скорости этой машины"},
    "training.ready.reference": {"en": "not calibrated here yet: from ResNet-18's 28 images/s on 2 CPU cores",
                                 "ru": "здесь ещё не откалибровано: по 28 изображениям/с ResNet-18 на 2 ядрах CPU"},
    "training.ready.suggest": {
        "en": "To make it shorter: cap the training images (Train limit {limit} gives about 3 minutes), choose "
              "torchvision's stem on the Architecture page (it shrinks the image early: far fewer multiply-adds), "
              "or use the lab's own residual preset **{preset}** (about 1,500 images/s on 2 cores).",
        "ru": "Чтобы быстрее: ограничьте число обучающих изображений (лимит {limit} даёт около 3 минут), выберите "
              "стем из torchvision на странице «Архитектура» (он рано уменьшает изображение: гораздо меньше "
              "умножений-сложений) или возьмите собственный residual-пресет лаборатории **{preset}** (около 1 500 "
              "изображений/с на 2 ядрах).",
    },
    "training.ready.seconds": {"en": "{n:plural:second|seconds}", "ru": "{n:plural:секунда|секунды|секунд}"},
    "training.ready.minutes": {"en": "{n:plural:minute|minutes}", "ru": "{n:plural:минута|минуты|минут}"},
}
