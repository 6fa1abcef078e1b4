"""Speed machinery: switches, timing, worker processes. Below every other layer but the model;
nothing here decides what a run computes, only how fast."""

from .switches import Speed, SpeedReport
from .timing import PhaseTimer
from .work import Work

__all__ = ["PhaseTimer", "Speed", "SpeedReport", "Work"]
