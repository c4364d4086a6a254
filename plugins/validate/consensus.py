"""The consensus policy: state and confidence of a subject from trust-weighted votes.

Each contributor has a one-coin reliability ``p`` (the chance they answer correctly), estimated
with a Beta(``trust_alpha``, ``trust_beta``) prior from how often they agreed with settled answers.
A vote counts ``log(p / (1 - p))`` toward "yes" or "no", so a proven contributor counts a lot, an
unknown one a little, a random one nothing and an adversary *against* what they say. The posterior
probability that the label is right is ``sigmoid(logit(prior) + sum of weights)``. A moderator's
yes/no is a known answer and decides alone. "Not sure" votes only count toward retiring a subject.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

VOTES = ("yes", "no", "unsure")
STATES = ("unverified", "verified", "rejected", "contested")
SETTLED = ("verified", "rejected")
RELIABILITY_BOUNDS = (0.02, 0.98)


@dataclass(frozen=True)
class Ballot:
    """One vote as the policy sees it: the answer and what is known about the voter."""

    vote: str
    correct: float = 0.0
    wrong: float = 0.0
    moderator: bool = False


@dataclass(frozen=True)
class Decision:
    """The outcome for one subject: ``state``, ``confidence`` (P(label is right)) and whether it is still asked."""

    state: str
    confidence: float
    open: bool


@dataclass(frozen=True)
class Policy:
    """Thresholds of the consensus policy (``validate.*`` settings)."""

    min_votes: int = 2
    verify_confidence: float = 0.99
    reject_confidence: float = 0.99
    max_votes: int = 15
    contested_votes: int = 8
    prior: float = 0.5
    trust_alpha: float = 4.0
    trust_beta: float = 2.0

    def is_open(self, state: str, vote_count: int) -> bool:
        """Whether a subject in ``state`` with ``vote_count`` votes is still asked."""
        return state not in SETTLED and vote_count < self.max_votes

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Policy:
        """The policy from typed ``validate.*`` values (as declared); thresholds that contradict raise ValueError."""
        policy = cls(**{name: settings[f"validate.{name}"] for name in cls.__dataclass_fields__})
        policy.check()
        return policy

    def check(self) -> None:
        """Raise ValueError when the thresholds contradict each other."""
        if not 1 <= self.min_votes <= self.max_votes:
            raise ValueError("validate.min_votes must be between 1 and validate.max_votes")
        if not 1 <= self.contested_votes <= self.max_votes:
            raise ValueError("validate.contested_votes must be between 1 and validate.max_votes")
        for name in ("verify_confidence", "reject_confidence"):
            if not 0.5 <= getattr(self, name) < 1:
                raise ValueError(f"validate.{name} must be in [0.5, 1)")
        if not 0 < self.prior < 1:
            raise ValueError("validate.prior must be in (0, 1)")
        if self.trust_alpha <= 0 or self.trust_beta <= 0:
            raise ValueError("validate.trust_alpha and validate.trust_beta must be positive")

    def reliability(self, correct: float, wrong: float) -> float:
        """The posterior mean chance that a contributor with this record answers correctly."""
        p = (self.trust_alpha + correct) / (self.trust_alpha + self.trust_beta + correct + wrong)
        return min(max(p, RELIABILITY_BOUNDS[0]), RELIABILITY_BOUNDS[1])

    def weight(self, correct: float, wrong: float) -> float:
        """The log-odds weight of one yes/no vote from a contributor with this record."""
        p = self.reliability(correct, wrong)
        return math.log(p / (1 - p))

    def posterior(self, ballots: Iterable[Ballot]) -> float:
        """P(the label is right | these votes); a moderator's yes or no is a known answer (1 or 0)."""
        log_odds = math.log(self.prior / (1 - self.prior))
        for ballot in ballots:
            if ballot.vote == "unsure":
                continue
            if ballot.moderator:
                return 1.0 if ballot.vote == "yes" else 0.0
            sign = 1.0 if ballot.vote == "yes" else -1.0
            log_odds += sign * self.weight(ballot.correct, ballot.wrong)
        return 1 / (1 + math.exp(-max(min(log_odds, 50.0), -50.0)))

    def decide(self, ballots: list[Ballot]) -> Decision:
        """State, confidence and openness of a subject with these votes."""
        confidence = self.posterior(ballots)
        if any(b.moderator and b.vote != "unsure" for b in ballots):
            return Decision("verified" if confidence >= 0.5 else "rejected", confidence, False)
        total = len(ballots)
        answered = sum(1 for b in ballots if b.vote != "unsure")
        if answered >= self.min_votes and confidence >= self.verify_confidence:
            return Decision("verified", confidence, False)
        if answered >= self.min_votes and 1 - confidence >= self.reject_confidence:
            return Decision("rejected", confidence, False)
        reached_max = total >= self.max_votes
        state = "contested" if reached_max or total >= self.contested_votes else "unverified"
        return Decision(state, confidence, not reached_max)
