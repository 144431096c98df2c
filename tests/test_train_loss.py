"""smepo_train.loss: advantages and the clipped surrogate against hand-computed numbers."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from smepo_train.loss import group_advantages, policy_loss, selective_log_softmax  # noqa: E402

# Two completions of up to 3 tokens; the first has 2 tokens (third masked), the second 3.
LOGPS = [[-1.0, -2.0, -0.5], [-0.3, -1.2, -2.0]]
OLD = [[-1.0, -2.3, -0.5], [0.0, -1.2, -2.5]]
MASK = [[1, 1, 0], [1, 1, 1]]
ADV = [1.0, -2.0]
EPS, EPS_HIGH = 0.2, 0.28

# Per token, -min(r * A, clip(r, 0.8, 1.28) * A) with r = exp(logp - old):
#   seq 0 (A = +1): r = 1 -> -1;  r = e^0.3 = 1.34986 -> clipped to 1.28 -> -1.28;  (masked)
#   seq 1 (A = -2): r = e^-0.3 = 0.74082 -> clip 0.8: -min(-1.48164, -1.6) = 1.6;  r = 1 -> 2;
#                   r = e^0.5 = 1.64872 (unclipped side is smaller): -min(-3.29744, -2.56) = 3.29744
SEQ0 = [-1.0, -1.28]
SEQ1 = [1.6, 2.0, 2 * math.exp(0.5)]


def _loss(loss_type: str, **kw):
    return policy_loss(
        torch.tensor(kw.pop("logps", LOGPS)),
        torch.tensor(kw.pop("old", OLD)),
        torch.tensor(kw.pop("adv", ADV)),
        torch.tensor(kw.pop("mask", MASK)),
        loss_type=loss_type,
        epsilon=EPS,
        epsilon_high=EPS_HIGH,
        num_sequences=kw.pop("num_sequences", 2),
        num_tokens=kw.pop("num_tokens", 5),
        max_completion_length=4,
        **kw,
    )


def test_grpo_loss_is_mean_of_per_sequence_token_means():
    expected = (sum(SEQ0) / 2 + sum(SEQ1) / 3) / 2
    assert float(_loss("grpo").loss) == pytest.approx(expected, rel=1e-5)


def test_dapo_loss_is_token_sum_over_token_count():
    expected = (sum(SEQ0) + sum(SEQ1)) / 5
    assert float(_loss("dapo").loss) == pytest.approx(expected, rel=1e-5)


def test_dr_grpo_loss_divides_by_sequences_times_max_completion_length():
    expected = (sum(SEQ0) + sum(SEQ1)) / (2 * 4)
    assert float(_loss("dr_grpo").loss) == pytest.approx(expected, rel=1e-5)


def test_clip_counts_only_where_clipping_binds():
    parts = _loss("dapo")
    # low: seq 1 token 0 (r < 0.8, A < 0); high: seq 0 token 1 (r > 1.28, A > 0). Seq 1 token 2 has
    # r > 1.28 but A < 0, so the unclipped term is used and it does not count.
    assert (parts.clipped_low, parts.clipped_high) == (1.0, 1.0)


def test_k3_kl_term():
    # ratio 1 and zero advantages: the loss is beta * mean KL; ref - logp = 0.5 everywhere
    logps = [[-1.0, -2.0, -0.5], [-0.3, -1.2, -2.0]]
    ref = [[v + 0.5 for v in row] for row in logps]
    kl = math.exp(0.5) - 0.5 - 1
    parts = _loss("dapo", old=logps, logps=logps, adv=[0.0, 0.0], beta=0.1, ref_logps=torch.tensor(ref))
    assert float(parts.loss) == pytest.approx(0.1 * kl, rel=1e-5)
    assert parts.kl_sum == pytest.approx(5 * kl, rel=1e-5)
    with pytest.raises(ValueError, match="ref_logps"):
        _loss("dapo", beta=0.1)


@pytest.mark.parametrize("loss_type", ["grpo", "dapo", "dr_grpo"])
def test_micro_batches_add_up_to_the_full_batch(loss_type):
    """Gradient accumulation: the micro-batches' losses (and gradients) sum to the whole batch's."""
    g = torch.Generator().manual_seed(0)
    logps = -torch.rand(6, 5, generator=g)
    old = logps + 0.3 * (torch.rand(6, 5, generator=g) - 0.5)
    adv = torch.randn(6, generator=g)
    mask = torch.tensor(
        [[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 0, 0], [1, 1, 1, 1, 0], [1] * 5]
    )
    common = dict(loss_type=loss_type, epsilon=0.2, epsilon_high=0.3, max_completion_length=5)
    counts = dict(num_sequences=6, num_tokens=int(mask.sum()))

    full_in = logps.clone().requires_grad_(True)
    full = policy_loss(full_in, old, adv, mask, **common, **counts).loss
    full.backward()

    micro_in = logps.clone().requires_grad_(True)
    total = sum(
        policy_loss(micro_in[sl], old[sl], adv[sl], mask[sl], **common, **counts).loss
        for sl in (slice(0, 2), slice(2, 3), slice(3, 6))
    )
    total.backward()
    assert total.item() == pytest.approx(full.item(), rel=1e-6)
    assert torch.allclose(micro_in.grad, full_in.grad, atol=1e-7)
    # per-micro-batch normalisation (what a naive loop does) would differ for uneven token counts
    if loss_type != "dr_grpo":
        naive = sum(
            policy_loss(
                logps[sl],
                old[sl],
                adv[sl],
                mask[sl],
                **common,
                num_sequences=sl.stop - sl.start,
                num_tokens=int(mask[sl].sum()),
            ).loss
            / 3
            for sl in (slice(0, 2), slice(2, 3), slice(3, 6))
        )
        assert naive.item() != pytest.approx(full.item(), rel=1e-3)


def test_group_advantages():
    rewards = torch.tensor([1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    adv = group_advantages(rewards, 4, "group")
    std = math.sqrt(1 / 3)  # unbiased std of (1, 0, 0, 1)
    assert adv[:4].tolist() == pytest.approx(
        [0.5 / (std + 1e-4), -0.5 / (std + 1e-4)] * 1 + [-0.5 / (std + 1e-4), 0.5 / (std + 1e-4)]
    )
    assert adv[4:].tolist() == [0.0] * 4  # a group with one reward teaches nothing
    batch = group_advantages(rewards, 4, "batch")
    assert batch[0].item() == pytest.approx(0.5 / (rewards.std().item() + 1e-4))
    assert group_advantages(rewards, 4, "none").tolist() == [0.5, -0.5, -0.5, 0.5, 0.0, 0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="scale_rewards"):
        group_advantages(rewards, 4, "max")


def test_selective_log_softmax_matches_log_softmax_in_every_precision():
    g = torch.Generator().manual_seed(1)
    logits = torch.randn(3, 4, 50, generator=g)
    index = torch.randint(0, 50, (3, 4), generator=g)
    expected = torch.log_softmax(logits, -1).gather(-1, index.unsqueeze(-1)).squeeze(-1)
    assert torch.allclose(selective_log_softmax(logits, index), expected, atol=1e-6)
    low = selective_log_softmax(logits.bfloat16(), index)
    assert low.dtype == torch.float32 and torch.allclose(low, expected, atol=5e-2)
