"""``python -m lab export RUN --script out.py | --notebook out.ipynb | --onnx out.onnx``.

The script and the notebook retrain the run with torch and torchvision only; the ONNX file is
its model for an onboard computer, verified in onnxruntime before it is written.
"""

from lab.cli._journal import add_journal_arguments, journal_root
from lab.export.script import FOLDER_FILES, export_script, on_folder, same_numbers
from lab.runs.store import resolve_run

NAME = "export"
HELP = "write a run as a standalone script, a Jupyter notebook, or an ONNX model for deployment"


def add_arguments(parser) -> None:
    parser.add_argument("run", metavar="RUN", help="run id or run folder")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--script", help="the .py file to write: a standalone script that retrains the run")
    what.add_argument("--notebook", help="the .ipynb file to write: the run as a notebook in the course's five "
                      "stages, in --lang's language")
    what.add_argument("--onnx", help="the .onnx file to write: [0, 1] pixels in, logits out, checked in onnxruntime")
    parser.add_argument("--lang", choices=("en", "ru"), default="en", help="the notebook's language (default en)")
    parser.add_argument("--figures", action="store_true", help="with --onnx: size, parameters, multiply-adds, "
                        "latency and throughput in onnxruntime against PyTorch on this machine's CPU")
    parser.add_argument("--int8", nargs="?", const="static", choices=("static", "dynamic"),
                        help="with --onnx: also write FILE.int8.onnx by onnxruntime's quantiser (static, calibrated on "
                        "validation images: the default; or dynamic) with its size, latency and accuracy change")
    add_journal_arguments(parser, "the journal folder the id is in (default: $LAB_RUNS_DIR or runs/)")


def run(args) -> int:
    run_ = resolve_run(args.run, journal_root(args, args.run))
    if args.script:
        path = export_script(run_, args.script)
        print(f"wrote {path}: python {path} --data-dir DATA [--epochs N] [--limit N] [--test, at the very end]")
        same = same_numbers(run_.config())
        print("same seed, same numbers as the lab on this machine" if same else
              "its numbers differ from the lab's by run-to-run noise: it draws the random augmentation per image")
        if same and on_folder(run_.config()):
            print(FOLDER_FILES.replace("\n", " "))
    elif args.notebook:
        from lab.export.notebook import export_notebook  # optional nbformat: loaded only when asked for

        path = export_notebook(run_, args.notebook, args.lang)
        print(f"wrote {path}: open it in Jupyter and run all cells (the first cell holds data_dir, epochs, limit)")
    else:
        _onnx(run_, args)
    return 0


def _onnx(run_, args) -> None:
    from lab.export.onnx import export_onnx, wrapped_model  # optional onnx/onnxruntime: loaded only when asked for

    result = export_onnx(run_, args.onnx)
    print(f"wrote {args.onnx} ({result.size / 1024:.0f} KB): onnxruntime and PyTorch agree on {result.images} real "
          f"images, largest logit difference {result.max_diff:.1e} (limit 1e-04)")
    if not (args.figures or args.int8):
        return
    from lab.export.onboard import onboard_figures  # measures for seconds: only when asked for
    from lab.export.onnx import int8_for  # same optional dependency as above
    from lab.files import atomic_write  # the int8 file, written like every other file

    int8 = int8_for(run_, result, args.int8) if args.int8 else None
    figures = onboard_figures(run_, result, wrapped_model(run_)[0], int8=int8)
    print(f"{result.params:,} parameters, {result.macs / 1e6:.2f} M multiply-adds per image; "
          f"{figures['cpu']}, {figures['dtype']}, {figures['threads']} thread")
    for name, row in (("onnxruntime fp32", figures["onnx"]), ("PyTorch eager", figures["torch"])):
        print(f"  {name:17} {row['latency_ms']:7.3f} ms per image (batch 1), {row['throughput']:8.0f} images/s")
    if args.int8:
        q = figures["int8"]
        path = str(args.onnx).removesuffix(".onnx") + ".int8.onnx"
        atomic_write(path, int8)
        print(f"  onnxruntime int8 ({args.int8}) {q['latency_ms']:7.3f} ms per image (batch 1), {q['throughput']:8.0f} images/s; "
              f"{q['size_bytes'] / 1024:.0f} KB; validation accuracy {figures['accuracy']:.4f} -> {q['accuracy']:.4f} "
              f"({q['accuracy_change'] * 100:+.2f} points on {figures['images']} images); wrote {path}")
    print("figures for this machine's CPU; a drone's board is slower: measure there before relying on them")
