"""The training engine: an experiment config in, a trained model, a journal and events out.

No Streamlit here; the Training page and ``python -m lab train`` both call this.

Main entry points
-----------------
``session.prepare(config, data_dir) -> Prepared`` and ``session.run(prepared, run,
listeners=(), stop=None) -> TrainResult``: the one way every caller (the Training
page's workers, ``lab train``, ``lab submit``, ``lab bench``) turns a config into a
trained run: data, split, training-split statistics, input size and seeded model in
``prepare``; ``run`` reseeds the global RNG (Dropout) and calls ``train``. The run
folder's live state: ``progress.Heartbeat`` (writer) and ``progress.read_progress``
(reader); the validation report: ``report``.

``train(prepared, run=None, *, listeners=(), stop=None, device=None, channels_last=None)
-> TrainResult``
    Trains ``prepared`` (``prepared.Prepared``: config, uint8 splits, class names, the
    training split's mean/std, input shape and the model built under the seed; from
    ``session.prepare`` or, for tensors already in hand, ``prepared.from_splits``). ``run``: a
    ``lab.runs.store.Run`` to journal into (metrics.jsonl, best.pt/last.pt, summary.json);
    None trains without writing files. ``listeners``: plain callables receiving every
    event dict, or ``listeners.Listener`` objects receiving the loop's state
    (``state.LoopState``: model, optimiser, epoch, step, history, best weights...) at named
    moments (on_start, on_event, on_batch_end, on_validated, on_epoch_end, on_fit_end,
    on_end); all are called in the training thread (a page must only copy the data
    somewhere its script reads; never call ``st.*``). Checkpoints and best weights
    (``keepers``), divergence, overfitting, at-chance and the speed re-measurement
    (``watchers``), early stopping and the journal are listeners of the same kind.
    ``stop``: a ``threading.Event``; once set the run ends after the current batch with
    status "stopped", a complete journal and loadable checkpoints. ``device``: "auto" |
    "cpu" | "cuda" | "mps" | torch.device, overriding ``config.train.device``.
    ``channels_last``: NHWC memory layout (None: on the CPU only, where oneDNN is faster
    with it). Returns ``TrainResult`` (status, model in eval mode, history = epoch events,
    summary = summary.json, check = initial check, val_report = ``evaluate`` on the
    validation split, events = all non-batch events). Raises ``LabError`` for bad input
    (e.g. a device this machine lacks); any failure writes a summary with status "failed"
    first.

``evaluate(model, x_uint8, y, mean, std, device="cpu", *, num_classes=None, shape=None)``
    -> dict with loss, accuracy, n, targets, predictions, probabilities, confidence,
    correct (CPU tensors), confusion (rows = true class), per_class_accuracy,
    per_class_count. ``confident_mistakes(result, k)`` and ``sample_indices(n, k, seed)``
    pick the images for the report grids.

``overfit_one_batch(prepared, *, steps=50, batch_size=None, device=None, listeners=())
-> dict``: a copy of the model Train would train, on one batch; reached, steps, accuracy,
loss, losses, batch, notes, advice, message.

``lr_find.lr_find(prepared, *, start=1e-7, end=10, steps=200, device=None, listeners=(), stop=None)
-> dict``: the learning-rate range test on ``prepared`` (its model restored exactly after);
suggested_lr, rule ("valley" | "steepest"), suggestions, lrs, losses (smoothed), raw_losses,
steps, stopped. A job kind of its own ("lr_find", ``lab.jobs.task``), never a run.

``initial_check(model, x_uint8, y, mean, std, num_classes, device="cpu", shape=None)``
    -> the "check" event below, for a model before training.

Events (plain dicts, ``event`` names the kind)
----------------------------------------------
- start: run_id, device, epochs, steps_per_epoch, sizes {train,val,test}, input_shape,
  classes, parameters, mixed_precision (None | "bfloat16" | "float16"), seed, speed
  (``lab.train.speed.run_speed``: macs_per_image, train_macs_per_image, peak_macs_per_sec,
  layers_images_per_sec (every layer alone, one after another), calibration_cached, calibration_seconds, compute_dtype, bf16_native, channels_last, threads;
  empty for a hand-made model its config does not describe)
- check: ok, loss, expected_loss (= ln N), accuracy, expected_accuracy (= 1/N), images,
  notes (keys), values, message
- batch (every step): epoch, step (global, 1-based), batch, batches, loss, accuracy,
  running_loss, running_accuracy (epoch so far), lr, seconds (since start)
- step (metrics.jsonl only, in place of "batch"; ``listeners.JournalWriter``): a training
  point every few batches, about 16 per epoch: epoch, batch, batches, step, x (epoch as a
  fraction), loss and accuracy (means over the batches since the previous point, None if
  one was not finite), averaged (how many batches), lr, seconds
- epoch: epoch, epochs, train_loss, train_accuracy, val_loss, val_accuracy, lr, best (new
  best validation loss), seconds (incl. validation), train_seconds, images_per_sec, elapsed,
  macs_per_sec (train_macs_per_image x images_per_sec), peak_fraction (of peak_macs_per_sec),
  loop_fraction (of layers_images_per_sec: the loop's share)
- overfitting (once, when confirmed by ``checks.overfitting``: smoothed validation loss not
  improving for 2 epochs while the training loss falls, and a train/validation gap in loss
  and accuracy): epoch (where it started), detected_at, notes, advice, values (epoch,
  best_epoch, gap in accuracy points), message
- chance (once): validation accuracy still at chance after 2 epochs (``checks.at_chance``):
  epoch, notes, advice, values (accuracy, chance, classes, train_accuracy), message
- diverged: epoch, step, loss, initial_loss, notes, advice, values, message
- end: the summary (below)

Summary (summary.json and ``TrainResult.summary``): status (finished | stopped | diverged |
failed), reason (a key), reason_params (its numbers), message (the English, filled), epochs (completed), planned_epochs, steps, best_epoch,
best_val_loss, best_val_accuracy, final_val_loss, final_val_accuracy, seconds, train_seconds,
images_per_sec, device, per_class_accuracy {class: acc}, confusion, classes, initial_check,
early_stopped, restored_epoch, overfitting_epoch, speed (as in "start"), peak_macs_per_sec,
macs_per_sec, peak_fraction, loop_fraction. No test score: the test split is scored only on request, after
training (``lab.runs.evaluation``; ``test_score`` for benchmarks).

Catalogue keys (``notes``/``advice``/``reason``; English in ``lab.train.advice.ENGLISH``;
placeholders filled from the event's ``values``):
    train.check.ok, train.check.loss_high, train.check.loss_low, train.check.accuracy_high,
    train.check.softmax_output, train.check.activation_output, train.check.inputs_unnormalised,
    train.chance.val, train.advice.check_labels,
    train.overfit.reached, train.overfit.failed, train.advice.bigger_model, train.advice.bug_hunt,
    train.diverged.nan, train.diverged.exploded, train.advice.lower_lr,
    train.overfitting.started, train.advice.more_data, train.advice.regularize,
    train.advice.weight_decay, train.advice.early_stopping,
    train.early_stopped, train.stopped
"""

from lab.train.advice import ENGLISH, english
from lab.train.checks import initial_check, overfit_one_batch, overfitting, overfitting_start
from lab.train.device import pick_device
from lab.train.evaluate import confident_mistakes, evaluate, sample_indices
from lab.train.listeners import EarlyStopping, JournalWriter, Listener, StopTraining
from lab.train.loop import TrainResult, train
from lab.train.prepared import Prepared, from_splits

__all__ = [
    "ENGLISH", "EarlyStopping", "JournalWriter", "Listener", "Prepared", "StopTraining", "TrainResult",
    "confident_mistakes", "english", "evaluate", "from_splits", "initial_check", "overfit_one_batch", "overfitting",
    "overfitting_start", "pick_device", "sample_indices", "train",
]
