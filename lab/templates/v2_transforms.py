"""The CNN Lab's image pipeline in torchvision.transforms.v2, to paste into a notebook.

make_transforms(mean, std) gives the training transform (the augmentation) and the
evaluation transform (validation, test, prediction: no random steps, the size the
model takes). Apply them per image, e.g. in a Dataset's __getitem__: v2 draws one set
of random parameters per call, so a whole batch at once would share one crop.
The lab's order: augment uint8 pixels 0..255, then float 0..1, then normalise, so a
fill or RandomErasing value is a pixel value 0..255.
"""

import torch
from torchvision.transforms import v2

# >>> stats
MEAN = [0.1307]  # per channel, of the training pixels scaled to 0..1
STD = [0.3081]
# <<< stats


# >>> function
def make_transforms(mean, std):
    """(training transform with the augmentation, evaluation transform without it)."""
    train = v2.Compose([
        v2.ToImage(),  # PIL image or uint8 tensor -> uint8 tensor (C, H, W)
        # >>> prepare
        # <<< prepare
        # >>> augment
        v2.RandomCrop(24, padding=2),
        # <<< augment
        v2.ToDtype(torch.float32, scale=True),  # pixels 0..255 -> 0..1
        v2.Normalize(mean, std),
    ])
    evaluate = v2.Compose([
        v2.ToImage(),
        # >>> prepare
        # <<< prepare
        # >>> fit
        v2.CenterCrop((24, 24)),  # the size the training crops give the model
        # <<< fit
        v2.ToDtype(torch.float32, scale=True),
        v2.Normalize(mean, std),
    ])
    return train, evaluate
# <<< function


train_transform, eval_transform = make_transforms(MEAN, STD)
