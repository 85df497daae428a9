"""Every number the seed documents state about their models shows up in a printed course output.

The seeds are /work/shared/seeds/000_*.txt ... 004_*.txt: the questions, answers and blog posts
the course grew from. Each number below is one the seed states about a model: parameter counts,
totals, output/kernel/input shapes, sizes in error messages, momentum, a division. The course
must show each one computed: in a cell's printed output (stdout, or text/plain / text/html of an
execute_result or display_data). Sources, markdown, headings and asserts do not count, and
neither do the quiz questions the notebooks print ("Quiz: 1. ..."): those are prose.

Where the seed is wrong on today's Keras (or just wrong), the entry keeps the seed's number and
`expect` says what the course must print instead.

Matching:
  count  an integer with or without thousands separators ("397,065", "397065", "397_065"), on
         digit boundaries: 128 does not match inside 1280, 7,128 or 128.75.
  shape  a tuple, () or [], flexible spacing, optional trailing comma; a seed's None or -1
         batch slot matches None, -1, batch, N or ?; batch_any: it also matches a concrete batch
         (today's Keras errors print the real batch); batch_opt: a per-sample shape also matches
         with any batch axis in front. "45x45x1" in a seed is the tuple (45, 45, 1), and the
         course's "45 x 45 x 1" counts as well.
  other  a float matches its common renderings (0.15, .15, 1.5e-01, float32's 0.15000000596...);
         an arithmetic expression matches with flexible spacing, "*" as *, x or ×, and
         thousands separators.
  near   if set, the number must sit on an output line that also contains this word.
  nb     the notebook where the number belongs (00 ... 06), for the report only.

Numbers the seeds state that are deliberately NOT listed, and why, grouped per seed:

000 (blog: "Why is the Keras Conv1D layer weight count incorrect?")
  2025-01-30 (date), the id slug: not about a model.
  input_dim 3 / 5 / 2, sequence_length 10 / 15 / 8, kernel_size 2 / 3 / 4, filters 4 / 6 / 3,
    the batch 1 of tf.random.normal: configuration, folded into the listed input shapes
    (10, 3), (15, 5), (8, 2) and the counts 28, 96, 24, 27; alone, a one-digit number would
    match any output.
  "(3 * 2 * 4) + 4", "(5 * 3 * 6) + 6": the formulas behind 28 and 96, listed as their values
    (the course writes its formulas in its own order).
001 (SO: "keras conv1d layer weight count is not produced as expected")
  (1742, 45, 45): x_train's shape; 1742 is the data set's length, not the model's (the model's
    input (45, 45) is listed).
  90% accuracy, M4-cortex, cs231n URL, bullet numbers 1-4: not about a model.
  input channels 1, output channels 32, kernel size 5: configuration, folded into
    (5, 45, 32), 45x45x1, 45x45x32, 800, 7200.
  "45x5x32 = 7200 (without biases)": the same 7200 as "[5][45][32]", listed once.
002 (article: "Trainable Parameters")
  In [58], In [61]: notebook cell numbers.
  filters 64, kernel_size 5, input_channel 25 (both snippets), use_bias True, the "+1" of the
    formulas: configuration, folded into 8064, 14464, (None, 25) and (3, 3).
003 (seven SO threads on model.summary())
  MNIST Dense: nb_epoch 12 and batch_size 128 (training loop), ~90% accuracy; 10 units
    (configuration, folded into (None, 10) and 7850).
  514/257 Dense: WeightRegularizer l1=l2=0.000001 (regularisation strength: changes no count
    or shape); input_dim 514 and the 514 / 257 units (folded into the shapes and counts).
  "4 bytes" per parameter is listed; "Role of Bias in Neural Networks" etc.: prose.
  Conv answer: the formulas' constants ("32 * (3 * (3*3) + 1)", ...) are listed as their
    values 896, 18496, 73856, 1290; num_classes (10) is folded into (None, 218, 218, 10).
  Text CNN: df_train (7198,) and df_val (1800,) are data set lengths; nb_filter 64 and
    hidden_dims 32 are never used by the model; embedding_dim 300, filter_length 5,
    stride_length 1, filters 32, MaxPool1D(10, strides=1): configuration, folded into the
    summary shapes and counts; "Epoch 1/100": training loop; input_19: a layer name.
  MNIST CNN: filters 24 / 36, Dense 128 / 10, kernel (3, 3): configuration, folded into the
    summary; "(3*3+1)*24" and "(3 * 3 * 24 * 36) + 36" are listed as 240 and 7,812; "20736 =
    24 * 24 * 36" is the listed (None, 20736); "36 * 24 * 24 * 24" is the asker's wrong guess
    at the Flatten size, no value stated (the listed 20736 is the answer to it); "conv2d_12",
    "dense_26", "flatten_13", "dense_27": layer names.
  BERT + BiLSTM: LSTM(50), Dense(64), Dense(30), MAX_LEN 10, 30 classes: configuration,
    folded into the summary shapes and counts; dropout=0.1, recurrent_dropout=0.1,
    Dropout(0.2): rates (no count or shape); layers[:3]: an index; model_16,
    tf_bert_model_21, bidirectional_17, ...: layer names.
  LSTM: l2(0.0015) (regularisation), "50%" (the asker's dropout rate), input_dim 6 and
    timesteps 100 (folded into the shapes and counts), lstm_1, dense_3, ...: layer names;
    "(64+6)*64+64" is listed as 70 and 4544.
  BatchNorm: IMG_SIZE (no value given), filters 32, kernel (3, 3), Dense(100), Dense(10),
    padding=1, in_features/out_features: configuration, folded into both summaries;
    axis=-1: an axis index; "2x" and "4 groups": restate 128 vs 64 and the four listed
    (32,) weights; model_8, input_9, conv2d_10, ...: layer names; torchsummary's
    "Input size (MB): 0.02", "Forward/backward pass size (MB): 4.00" and "Estimated Total
    Size (MB): 54.02": the memory of one forward/backward pass of PyTorch activations, not
    of parameters, and the course does not run torchsummary ("Params size (MB): 50.01" is
    listed: it is the parameters' size).
004 (blog: "What is the Input Layer for Conv1D in Keras?")
  2024-12-15 (date), id slug, "5 years ago", "a whole day": not about a model.
  "1000 time steps": a hypothetical audio clip, no model built.
  batch_size 32 / 64 / 64: the dummy data's batch, folded into the listed output shapes
    (32, 98, 64) and (64, 50, 32); filters 64 / 32, kernel_size 3 / 5, steps, input_dim,
    num_channels: configuration, folded into the input and output shapes.
  "3d tensor", "4d data": ranks, covered by the listed shapes.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SEEDS = Path("/work/shared/seeds")
SEED_PREFIXES = ("000", "001", "002", "003", "004")


@dataclass(frozen=True)
class Num:
    seed: str  # seed file prefix, 000 ... 004
    number: str  # as the seed writes it
    what: str  # one short phrase
    kind: str  # count | shape | other
    nb: str  # notebook where it belongs (00 ... 06)
    near: str | None = None
    row: int | None = None  # a count that must sit on the same line (the summary row's params)
    alts: tuple[str, ...] = ()  # other renderings that count as the same statement
    batch_opt: bool = False
    batch_any: bool = False
    expect: tuple[str, str] | None = None  # (kind, text) when the seed is wrong

    @property
    def id(self) -> str:
        return f"{self.seed}-{self.number}-{self.what}"


COUNT, SHAPE, OTHER = "count", "shape", "other"

NUMBERS: tuple[Num, ...] = (
    # 000: Conv1D weight counts, three examples.
    Num("000", "(10, 3)", "example 1 input_shape (steps, input_dim)", SHAPE, "02", batch_opt=True),
    Num("000", "28", "example 1 Conv1D(4, 2) on 3 features, (3 * 2 * 4) + 4", COUNT, "02"),
    Num("000", "(15, 5)", "example 2 input_shape (steps, input_dim)", SHAPE, "02", batch_opt=True),
    Num("000", "96", "example 2 Conv1D(6, 3) on 5 features, (5 * 3 * 6) + 6", COUNT, "02"),
    Num("000", "(8, 2)", "example 3 input_shape (steps, input_dim)", SHAPE, "02", batch_opt=True),
    Num("000", "24", "example 3 Conv1D(3, 4) use_bias=False, printed by its code", COUNT, "02"),
    Num("000", "27", "example 3 Conv1D(3, 4) use_bias=True, printed by its code", COUNT, "02"),
    # 001: 45x45 grey images in Conv1D vs Conv2D.
    Num("001", "(45, 45)", "Conv1D input_shape x_train.shape[1:]", SHAPE, "03", batch_opt=True),
    Num("001", "(5, 45, 32)", "Conv1D kernel shape", SHAPE, "03"),
    Num("001", "7200", "Conv1D kernel weights [5][45][32]", COUNT, "03"),
    Num("001", "45x45x1", "image / Conv2D input_shape (45, 45, 1)", SHAPE, "03", batch_opt=True),
    Num("001", "45x45x32", "output dimension of the 'same' conv", SHAPE, "03", batch_opt=True),
    Num("001", "800", "cs231n weights 1x5x5x32, Conv2D without bias", COUNT, "03"),
    Num("001", "(None, 45, 45, 32)", "Conv2D summary output shape", SHAPE, "03"),
    # 002: count_params() after build((None, 25)).
    Num("002", "(None, 25)", "Conv1D build input_shape", SHAPE, "02", near="Conv1D"),
    Num("002", "8064", "Conv1D(64, 5) on 25 channels, count_params and by hand", COUNT, "02"),
    Num("002", "(3, 3)", "Conv2D kernel_size", SHAPE, "02"),
    Num("002", "(None, 25)", "Conv2D build input_shape", SHAPE, "02", near="Conv2D"),
    Num("002", "14464", "Conv2D(64, (3, 3)) on 25 channels, count_params and by hand", COUNT, "02"),
    # 003 (1): MNIST Flatten + Dense(10).
    Num(
        "003",
        "28x28",
        "MNIST image size",
        SHAPE,
        "00",
        alts=("(28, 28, 1)", "(1, 28, 28)"),
        batch_opt=True,
    ),
    Num("003", "(None, 784)", "MNIST flatten_1 output", SHAPE, "01"),
    Num("003", "(None, 10)", "MNIST dense_1 output", SHAPE, "01"),
    Num("003", "7850", "MNIST dense_1 params and total", COUNT, "01"),
    Num("003", "784", "input weights per unit of the MNIST Dense", COUNT, "01"),
    Num("003", "785", "parameters per unit of the MNIST Dense (784 + bias)", COUNT, "01"),
    # 003 (2): 514 -> 514 -> 257.
    Num("003", "(None, 514)", "dense_1 output of the 514/257 model", SHAPE, "01"),
    Num("003", "264710", "dense_1 params, 514 * 514 + 514", COUNT, "01"),
    Num("003", "(None, 257)", "dense_2 output of the 514/257 model", SHAPE, "01"),
    Num("003", "132355", "dense_2 params, 514 * 257 + 257", COUNT, "01"),
    Num("003", "397065", "total of the 514/257 Dense model", COUNT, "01"),
    Num("003", "264710 / (514 * 4)", "the neurons = params / (units * 4) division", OTHER, "01"),
    Num(
        "003",
        "130",
        "neurons by the params-over-units-times-4 myth",
        OTHER,
        "01",
        expect=(OTHER, "128.75"),  # 264710 / 2056 = 128.75, not 130
    ),
    Num("003", "4 bytes", "memory of one float parameter", OTHER, "00"),
    # 003 (3): Conv2D 32/64/128 + Dense(10) on a 4-D tensor.
    Num("003", "(None, 222, 222, 32)", "conv2d_1 output", SHAPE, "02"),
    Num("003", "896", "conv2d_1 params", COUNT, "02"),
    Num("003", "(None, 220, 220, 64)", "conv2d_2 output", SHAPE, "02"),
    Num("003", "18496", "conv2d_2 params", COUNT, "02"),
    Num("003", "(None, 218, 218, 128)", "conv2d_3 output", SHAPE, "02"),
    Num("003", "73856", "conv2d_3 params", COUNT, "02"),
    Num("003", "(None, 218, 218, 10)", "dense_9 output (Dense on a 4-D tensor)", SHAPE, "01"),
    Num("003", "1290", "dense_9 params, num_classes * (128 + 1)", COUNT, "01"),
    # 003 (4): the text CNN and its input error.
    Num("003", "(None, 35)", "the error's expected shape", SHAPE, "06", near="expected"),
    Num("003", "(None, 31)", "the error's found shape", SHAPE, "06", near="found", batch_any=True),
    Num("003", "[(None, 35)]", "input_19 (InputLayer) output", SHAPE, "06", near="Input"),
    Num("003", "(None, 35, 300)", "Embedding output", SHAPE, "06"),
    Num("003", "4094700", "Embedding params", COUNT, "06"),
    Num("003", "(None, 35, 32)", "CONV1 (Conv1D) output", SHAPE, "06"),
    Num("003", "48032", "CONV1 (Conv1D) params", COUNT, "06"),
    Num("003", "(None, 26, 32)", "MaxPool1D1 output", SHAPE, "06"),
    Num("003", "(None, 832)", "FLATTEN / Dropout output", SHAPE, "06"),
    Num("003", "(None, 3)", "text CNN Dense output", SHAPE, "06"),
    Num("003", "2499", "text CNN Dense params", COUNT, "06"),
    Num("003", "4,145,231", "text CNN total and trainable params", COUNT, "06"),
    Num("003", "0", "text CNN non-trainable params", COUNT, "06", near="Non-trainable"),
    Num(
        "003",
        "(num_of_examples, 35)",
        "the data shape the answer asks for",
        SHAPE,
        "06",
        batch_any=True,
    ),
    # 003 (5): MNIST CNN, second conv.
    Num("003", "(None, 26, 26, 24)", "MNIST CNN conv2d_12 output", SHAPE, "06"),
    Num("003", "240", "MNIST CNN conv2d_12 params, (3*3+1)*24", COUNT, "06"),
    Num("003", "(None, 24, 24, 36)", "MNIST CNN conv2d_13 output", SHAPE, "06"),
    Num("003", "7812", "MNIST CNN conv2d_13 params, (3*3*24*36)+36", COUNT, "06"),
    Num("003", "217", "weights + bias per filter of conv2d_13 (7812 = 36 * 217)", COUNT, "02"),
    Num("003", "(None, 20736)", "MNIST CNN flatten output, 24 * 24 * 36", SHAPE, "06"),
    Num("003", "(None, 128)", "MNIST CNN dense_26 output", SHAPE, "06", row=2654336),
    Num("003", "2654336", "MNIST CNN dense_26 params", COUNT, "06"),
    Num("003", "(None, 10)", "MNIST CNN dense_27 output", SHAPE, "06", row=1290),
    Num("003", "1290", "MNIST CNN dense_27 params", COUNT, "06"),
    Num("003", "2,663,678", "MNIST CNN total and trainable params", COUNT, "06"),
    # 003 (6): BERT + Bidirectional LSTM head and its label error.
    Num("003", "(1,)", "the error's labels shape", SHAPE, "04", near="labels"),
    Num("003", "(10, 30)", "the error's logits shape", SHAPE, "04", near="logits"),
    Num("003", "[(None, 10)]", "input_ids / attention_mask output", SHAPE, "04"),
    Num("003", "162841344", "TFBertModel params = non-trainable params", COUNT, "04"),
    Num("003", "(None, 10, 100)", "Bidirectional(LSTM(50)) output", SHAPE, "04"),
    Num("003", "327600", "Bidirectional(LSTM(50)) params", COUNT, "04"),
    Num("003", "(None, 100)", "GlobalMaxPool1D output", SHAPE, "04"),
    Num("003", "(None, 64)", "dense_32 output of the BERT head", SHAPE, "04", row=6464),
    Num("003", "6464", "dense_32 params of the BERT head", COUNT, "04"),
    Num("003", "(None, 30)", "dense_33 output of the BERT head", SHAPE, "04", row=1950),
    Num("003", "1950", "dense_33 params of the BERT head", COUNT, "04"),
    Num("003", "163,177,358", "BERT model total params", COUNT, "04"),
    Num("003", "336,014", "BERT model trainable params", COUNT, "04"),
    # 003 (7): the 59,910 LSTM stack.
    Num("003", "(None, 100, 64)", "lstm_1 / dropout_1 output", SHAPE, "04", row=18176),
    Num("003", "18176", "lstm_1 params, 4 * 4544", COUNT, "04"),
    Num("003", "0", "dropout_1 params", COUNT, "04", near="dropout"),
    Num("003", "(None, 64)", "lstm_2 output", SHAPE, "04", row=33024),
    Num("003", "33024", "lstm_2 params", COUNT, "04"),
    Num("003", "4160", "dense_1 / dense_2 params of the LSTM stack", COUNT, "04"),
    Num("003", "(None, 6)", "dense_3 output of the LSTM stack", SHAPE, "04", row=390),
    Num("003", "390", "dense_3 params of the LSTM stack", COUNT, "04"),
    Num("003", "59,910", "LSTM stack total and trainable params", COUNT, "04"),
    Num("003", "70", "width of [h, x]: 64 + 6", COUNT, "04"),
    Num("003", "4544", "one gate (FFNN): (64+6)*64+64", COUNT, "04"),
    Num("003", "4 * 4544", "four gates make the LSTM", OTHER, "04"),
    # 003 (8): BatchNormalization, Keras vs PyTorch.
    Num("003", "(None, 64, 64, 1)", "input_9 output, Input(shape=(64, 64, 1))", SHAPE, "05"),
    Num("003", "0.15", "BatchNormalization momentum", OTHER, "05", near="momentum"),
    Num(
        "003", "(None, 64, 64, 32)", "conv2d_10 / batch_normalization output", SHAPE, "05", row=320
    ),
    Num("003", "320", "conv2d_10 / Conv2d-1 params", COUNT, "05"),
    Num("003", "128", "Keras BatchNormalization params", COUNT, "05", near="Batch"),
    Num("003", "(None, 131072)", "flatten_3 output", SHAPE, "05"),
    Num("003", "(None, 100)", "dense_11 output", SHAPE, "05", row=13107300),
    Num("003", "13107300", "dense_11 / Linear-5 params", COUNT, "05"),
    Num("003", "(None, 10)", "dense_12 output", SHAPE, "05", row=1010),
    Num("003", "1010", "dense_12 / Linear-6 params", COUNT, "05"),
    Num("003", "13,108,758", "Keras total params of the BatchNorm model", COUNT, "05"),
    Num("003", "13,108,694", "Keras trainable = PyTorch total params", COUNT, "05"),
    Num("003", "64", "Keras non-trainable params of the BatchNorm model", COUNT, "05", near="non-"),
    Num(
        "003",
        "[-1, 32, 64, 64]",
        "PyTorch Conv2d-1 / ReLU / BatchNorm2d output",
        SHAPE,
        "05",
        row=320,
    ),
    Num("003", "64", "PyTorch BatchNorm2d params", COUNT, "05", near="PyTorch"),
    Num("003", "[-1, 131072]", "PyTorch Flatten-4 output", SHAPE, "05"),
    Num("003", "[-1, 100]", "PyTorch Linear-5 output", SHAPE, "05", row=13107300),
    Num("003", "[-1, 10]", "PyTorch Linear-6 output", SHAPE, "05", row=1010),
    Num("003", "0", "PyTorch non-trainable params", COUNT, "05", near="PyTorch"),
    Num("003", "50.01", "torchsummary Params size (MB)", OTHER, "05", near="MB"),
    Num("003", "(32)", "scale (gamma) weights", SHAPE, "05", near="gamma"),
    Num("003", "(32)", "offset (beta) weights", SHAPE, "05", near="beta"),
    Num("003", "(32)", "accumulated means (moving_mean)", SHAPE, "05", near="moving_mean"),
    Num("003", "(32)", "accumulated std (moving_variance)", SHAPE, "05", near="moving_variance"),
    # 004: the input of Conv1D, three examples.
    Num("004", "(100, 1)", "example 1 Input shape (steps, input_dim)", SHAPE, "02", batch_opt=True),
    Num("004", "(32, 98, 64)", "example 1 output shape, batch 32", SHAPE, "02"),
    Num("004", "98", "example 1 output length, n - k + 1", COUNT, "02", near="valid"),
    Num("004", "100", "output length with padding='same'", COUNT, "02", near="same"),
    Num("004", "(50, 5)", "example 2 Input shape (steps, input_dim)", SHAPE, "02", batch_opt=True),
    Num("004", "(64, 50, 32)", "example 2 output shape, batch 64", SHAPE, "02"),
    Num("004", "(50, 3, 2)", "example 3 4-D Input shape", SHAPE, "02", batch_opt=True),
    Num(
        "004",
        "(64, 50, 32)",
        "example 3 claimed output for the 4-D input",
        SHAPE,
        "02",
        # Wrong on today's Keras: Conv1D refuses a 4-D input ("Kernel shape must have the same
        # length as input, but received kernel of shape (5, 2, 32) ..."); the course shows that.
        expect=(SHAPE, "(5, 2, 32)"),
    ),
)


# ---------------------------------------------------------------- reading the printed outputs

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TAG = re.compile(r"<[^>]+>")
BREAK = re.compile(r"</(?:div|p|tr|li|pre|h\d)>|<br\s*/?>", re.IGNORECASE)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _from_html(text: str) -> str:
    return html.unescape(TAG.sub("", BREAK.sub("\n", text)))


QUESTIONS = ("Quiz: ", "Choice: ", "Predict: ")


def _is_question(output: dict) -> bool:
    plain = _text(output.get("data", {}).get("text/plain", ""))
    return plain.startswith(QUESTIONS)


def printed_outputs(path: Path) -> str:
    """The printed outputs of one notebook: stdout and text/plain + text/html of results."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream" and output.get("name") == "stdout":
                lines = _text(output.get("text", "")).splitlines()
                parts.append("\n".join(line for line in lines if not line.startswith(QUESTIONS)))
            elif kind in ("execute_result", "display_data") and not _is_question(output):
                data = output.get("data", {})
                if "text/plain" in data:
                    parts.append(_text(data["text/plain"]))
                if "text/html" in data:
                    parts.append(_from_html(_text(data["text/html"])))
    return ANSI.sub("", "\n".join(parts))


@cache
def course_lines() -> tuple[str, ...]:
    text = "\n".join(printed_outputs(p) for p in sorted(NOTEBOOKS.glob("*.ipynb")))
    return tuple(text.splitlines())


# ---------------------------------------------------------------- matching


def count_pattern(n: int) -> str:
    digits = str(n)
    grouped = f"{n:,}"
    forms = {digits, grouped, grouped.replace(",", "_")}
    body = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    # Not inside a longer number: no digit, "d," "d." or "d_" before; none of them after.
    return rf"(?<![\d.])(?<!\d,)(?<!\d_)(?:{body})(?![\d_])(?![.,]\d)"


BATCH = r"(?:None|-1|batch|N|\?)"


def parse_shape(text: str) -> list[str]:
    text = text.strip()
    if re.fullmatch(r"\d+(?:\s*[x×]\s*\d+)+", text):
        return re.split(r"\s*[x×]\s*", text)
    inner = text.strip("[]()").strip()
    return [e.strip() for e in inner.split(",") if e.strip()]


def shape_pattern(elements: list[str], batch_opt: bool, batch_any: bool) -> str:
    def element(e: str) -> str:
        if e in ("None", "-1"):
            return rf"(?:{BATCH}|\d+)" if batch_any else BATCH
        if not e.isdigit():  # a named count such as num_of_examples: a concrete number
            return r"\d+"
        return e

    sep = r"\s*,\s*"
    body = sep.join(element(e) for e in elements)
    if batch_opt:
        body = rf"(?:(?:{BATCH}|\d+){sep})?{body}"
    tuple_form = rf"[(\[]\s*{body}\s*,?\s*[)\]]"
    forms = [tuple_form]
    if all(e.isdigit() for e in elements) and len(elements) > 1:
        forms.append(r"(?<![\d.])" + r"\s*[x×]\s*".join(elements) + r"(?![\d.])")
    return "|".join(f"(?:{f})" for f in forms)


FLOAT = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def float_matches(value: float, line: str) -> bool:
    for token in FLOAT.findall(line):
        try:
            if math.isclose(float(token), value, rel_tol=1e-6):
                return True
        except ValueError:
            continue
    return False


def expr_pattern(expr: str) -> str:
    out = []
    for token in re.findall(r"\d+|[A-Za-z]{2,}|[*x×/+\-()]", expr):
        if token.isdigit():
            out.append(count_pattern(int(token)))
        elif token in "*x×":
            out.append(r"[*x×·]")
        else:
            out.append(re.escape(token))
    return r"\s*".join(out)


def is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# A shape tuple such as (None, 28, 28, 1) or (10,): a count never matches inside one.
TUPLE = re.compile(r"\((?:\s*(?:None|batch|-?\d+|\.\.\.)\s*,)+\s*(?:None|batch|-?\d+)?\s*\)")


def line_matches(kind: str, text: str, entry: Num, line: str) -> bool:
    if kind == COUNT:
        return (
            re.search(count_pattern(int(text.replace(",", ""))), TUPLE.sub(" ", line)) is not None
        )
    if kind == SHAPE:
        pattern = shape_pattern(parse_shape(text), entry.batch_opt, entry.batch_any)
        return re.search(pattern, line) is not None
    if is_float(text):
        return float_matches(float(text), line)
    return re.search(expr_pattern(text), line, re.IGNORECASE) is not None


def found(entry: Num, lines: tuple[str, ...]) -> bool:
    kind, text = entry.expect or (entry.kind, entry.number)
    texts = (text, *(() if entry.expect else entry.alts))
    for line in lines:
        if entry.near and entry.near.lower() not in line.lower():
            continue
        if entry.row is not None and not line_matches(COUNT, str(entry.row), entry, line):
            continue
        if any(line_matches(kind, t, entry, line) for t in texts):
            return True
    return False


# ---------------------------------------------------------------- tests


def test_the_list_covers_every_seed():
    assert NUMBERS, "no seed numbers listed"
    ids = [n.id for n in NUMBERS]
    assert len(ids) == len(set(ids)), "two entries share an id"
    assert {n.kind for n in NUMBERS} <= {COUNT, SHAPE, OTHER}
    files = sorted(p.name[:3] for p in SEEDS.glob("[0-9][0-9][0-9]_*.txt"))
    prefixes = set(files) if files else set(SEED_PREFIXES)
    contributing = {n.seed for n in NUMBERS}
    assert prefixes <= contributing, (
        f"seed files without a listed number: {prefixes - contributing}"
    )
    assert contributing <= prefixes | set(SEED_PREFIXES)


def test_the_matcher_is_exact_but_flexible():
    entry = Num("000", "0", "probe", COUNT, "00")
    assert line_matches(COUNT, "397065", entry, "Total params: 397,065 (1.51 MB)")
    assert line_matches(COUNT, "397,065", entry, "total 397065")
    assert not line_matches(COUNT, "128", entry, "Dense(1280)")
    assert not line_matches(COUNT, "128", entry, "= 128.75")
    assert not line_matches(COUNT, "850", entry, "7,850")
    assert not line_matches(COUNT, "28", entry, "input (None, 28, 28, 1)")
    assert line_matches(COUNT, "896", entry, "[896, 18496, 73856, 1290]")
    assert line_matches(SHAPE, "(num_of_examples, 35)", entry, "x (4, 35)")
    assert not line_matches(SHAPE, "(num_of_examples, 35)", entry, "x (None, 35)")
    assert line_matches(SHAPE, "(None, 35, 32)", entry, "out (None,35,32)")
    assert not line_matches(SHAPE, "(None, 35)", entry, "(None, 35, 32)")
    assert line_matches(SHAPE, "[-1, 131072]", entry, "(None, 131072)")
    assert line_matches(OTHER, "0.001", entry, "epsilon=1e-3")
    assert line_matches(OTHER, "0.99", entry, "momentum 0.99000001")
    assert line_matches(OTHER, "264710 / (514 * 4)", entry, "264,710 / (514 x 4) = 128.75")
    per_sample = Num("000", "(45, 45)", "probe", SHAPE, "00", batch_opt=True)
    assert line_matches(SHAPE, "(45, 45)", per_sample, "(16, 45, 45)")


@pytest.mark.parametrize("entry", NUMBERS, ids=[n.id for n in NUMBERS])
def test_seed_number_is_printed(entry: Num):
    if found(entry, course_lines()):
        return
    shown = f"{entry.expect[1]} (the seed's {entry.number} is wrong)" if entry.expect else ""
    pytest.fail(
        f"seed {entry.seed} states {entry.number!r} ({entry.what}, {entry.kind}); "
        f"no printed output of notebooks/*.ipynb shows {shown or entry.number!r}"
        + (f" on a line with {entry.near!r}" if entry.near else "")
        + f" (belongs in notebook {entry.nb})"
    )
