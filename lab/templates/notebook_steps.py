"""The notebook's own cells, around the cells it shares with training_script.py.

Jupytext's percent format: each ``# %% name`` starts a code cell. lab/export/notebook.py
puts ``parameters`` first (tagged for papermill), then the script's shared cells (imports,
settings, model, transforms, data, training), then the rest of these in order; the test
split's cell is the last one. Not run on its own: it uses the script's functions.
"""
# ruff: noqa: F821  (names defined by the training script's cells)

# %% parameters
import os

# >>> parameters
data_dir = os.environ.get("LAB_DATA_DIR") or "data"  # where the dataset lives (LAB_DATA_DIR, else data/)
epochs = 1  # the run's number of epochs
limit = 0  # training images to use; 0 = all
look_at_test = False  # True only at the very end, once the model is chosen
# <<< parameters

# %% loaders
torch.set_num_threads(THREADS)  # the run's thread count: the same sums in the same order
device = pick_device(DEVICE)
train_loader, val_loader, test_loader = make_loaders(data_dir, limit, False, device)

# %% build
print(f"training on {device}")
random.seed(SEED)
torch.manual_seed(SEED)  # the initial weights
model = Net().to(device)
if device.type == "cpu":
    model = model.to(memory_format=torch.channels_last)  # see to_device
print(model)
print(f"{sum(p.numel() for p in model.parameters()):,} parameters")

# %% fit
trainer = Trainer(model, device, epochs, len(train_loader))
torch.manual_seed(SEED + 2)  # Dropout's draws (and the augmentation's here), from where the lab starts them
best, restore = fit(trainer, train_loader, val_loader, epochs)
if restore and best["state"] is not None:  # early stopping or a divergence: the best weights
    model.load_state_dict(best["state"])

# %% curves
import io

import matplotlib.pyplot as plt
from IPython.display import Image, display


def show(figure):
    """The figure as a PNG under the cell, whatever matplotlib backend the environment chose."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    display(Image(buffer.getvalue()))


history = best["history"]
epochs_seen = [h["epoch"] for h in history]
figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
for key, style in (("train", "o-"), ("val", "s-")):
    left.plot(epochs_seen, [h[f"{key}_loss"] for h in history], style, label=key)
    right.plot(epochs_seen, [h[f"{key}_accuracy"] for h in history], style, label=key)
left.set(xlabel="epoch", ylabel="loss")
right.set(xlabel="epoch", ylabel="accuracy")
left.legend()
right.legend()
show(figure)

# %% validation
def confusion(model, loader, device):
    """counts[true class, predicted class] over every image of the loader."""
    model.eval()
    counts = torch.zeros(NUM_CLASSES, NUM_CLASSES, dtype=torch.long)
    with torch.no_grad():
        for x, y in loader:
            predicted = model(to_device(x, device)).argmax(1).cpu()
            counts += torch.bincount(y * NUM_CLASSES + predicted, minlength=NUM_CLASSES ** 2).view(NUM_CLASSES, -1)
    return counts


val_loss, val_accuracy = evaluate(model, val_loader, device)
print(f"validation accuracy {val_accuracy:.4f} (loss {val_loss:.4f})")
counts = confusion(model, val_loader, device)
figure, axes = plt.subplots(figsize=(5, 4.5))
axes.imshow(counts, cmap="Blues")
for (i, j), n in zip(((i, j) for i in range(NUM_CLASSES) for j in range(NUM_CLASSES)), counts.flatten().tolist()):
    axes.text(j, i, n, ha="center", va="center", fontsize=7, color="white" if n > counts.max() / 2 else "black")
axes.set(xlabel="predicted", ylabel="true", xticks=range(NUM_CLASSES), yticks=range(NUM_CLASSES))
show(figure)

# %% test
# THE END: the test set, looked at once, after every choice is made on validation.
if not look_at_test:
    print("the test set was not looked at: set look_at_test = True in the first cell once the model is chosen")
elif test_loader is None:
    print("this dataset has no test images (an image folder without test/)")
else:
    test_loss, test_accuracy = evaluate(model, test_loader, device)
    print(f"the final look at the test set: test accuracy {test_accuracy:.4f} (loss {test_loss:.4f})")
