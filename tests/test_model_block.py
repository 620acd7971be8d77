"""A block pools before a ReLU that comes straight before a max-pool: the same numbers,
forward and backward, as the written order, and the written order whenever a layer is watched."""

import torch
from torch import nn

from lab.config import ModelConfig
from lab.model import build_model, preset
from lab.model.block import Block


def _twins(layers_fn):
    """A Block and a plain nn.Sequential with the same weights."""
    torch.manual_seed(0)
    block = Block(*layers_fn())
    plain = nn.Sequential(*layers_fn())
    plain.load_state_dict(block.state_dict())
    return block, plain


def _conv_relu_pool():
    return [nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 13 * 13, 10)]


def _outputs_and_grads(model, x):
    x = x.clone().requires_grad_()
    out = model(x)
    out.square().sum().backward()
    return out.detach(), x.grad, [p.grad.clone() for p in model.parameters()]


def test_pooling_first_gives_bit_identical_outputs_and_gradients():
    block, plain = _twins(_conv_relu_pool)
    x = torch.randn(16, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    got, want = _outputs_and_grads(block, x), _outputs_and_grads(plain, x)
    assert torch.equal(got[0], want[0])
    assert torch.equal(got[1], want[1])  # the input gradient: the pooling's argmax is the same element
    assert all(torch.equal(a, b) for a, b in zip(got[2], want[2]))


def test_windows_that_are_all_negative_still_give_zero_output_and_zero_gradient():
    block, plain = _twins(lambda: [nn.ReLU(), nn.MaxPool2d(2)])
    x = -torch.rand(2, 3, 8, 8) - 0.1  # every window is below zero
    x[0, 0, 0, 0] = 0.0  # and one window holds an exact 0
    got, want = _outputs_and_grads(block, x), _outputs_and_grads(plain, x)
    assert torch.equal(got[0], torch.zeros(2, 3, 4, 4)) and torch.equal(got[0], want[0])
    assert torch.equal(got[1], torch.zeros_like(x)) and torch.equal(got[1], want[1])


def test_a_hook_on_the_relu_sees_the_full_relu_output_in_the_written_order():
    block, _ = _twins(_conv_relu_pool)
    seen = []
    handle = block[1].register_forward_hook(lambda module, inputs, output: seen.append(output.shape))
    block(torch.randn(2, 1, 28, 28))
    handle.remove()
    assert seen == [torch.Size([2, 8, 26, 26])]  # before pooling, as the Inside-the-model page shows it


class PoolSpy(nn.MaxPool2d):
    """Keeps every map it pools."""

    def __init__(self):
        super().__init__(2)
        self.inputs = []

    def forward(self, x):
        self.inputs.append(x)
        return super().forward(x)


def _pools_first(act) -> bool:
    """Did the pool get the block's own input (then the activation ran after it)?"""
    pool, x = PoolSpy(), torch.randn(1, 2, 8, 8, generator=torch.Generator().manual_seed(3))
    Block(act, pool)(x)
    return len(pool.inputs) == 1 and torch.equal(pool.inputs[0], x)


def test_only_an_unwatched_relu_moves_behind_the_pool():
    assert _pools_first(nn.ReLU())  # ReLU runs on the pooled quarter
    assert not _pools_first(nn.Tanh())  # rounding could tie two inputs: written order
    assert not _pools_first(nn.GELU())  # not monotonic at all
    watched = nn.ReLU()
    watched.register_forward_pre_hook(lambda module, inputs: None)
    assert not _pools_first(watched)  # a watched layer runs in the written order


def test_built_models_use_blocks_with_the_exported_state_dict_names():
    model = build_model(preset("baseline", "mnist"), (1, 28, 28), 10)
    assert isinstance(model.block1, Block) and isinstance(model.block1, nn.Sequential)
    assert list(model.state_dict()) == ["block1.0.weight", "block1.0.bias", "head.1.weight", "head.1.bias"]
    assert isinstance(build_model(ModelConfig(), (1, 28, 28), 10).block1, Block)
