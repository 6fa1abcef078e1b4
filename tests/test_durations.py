import pytest

from lessonbook.model.durations import DurationError, format_minutes, parse_duration


@pytest.mark.parametrize(("text", "minutes"), [
    ("8m", 8), ("2h 30m", 150), ("25 minutes", 25), ("PT25M", 25), ("PT1H30M", 90),
    ("1.5h", 90), ("1d 2h", 1560), ("90", 90), (45, 45), ("2 hours, 5 minutes", 125),
    ("30s", 0.5), ("P1D", 1440),
])
def test_durations_are_read_the_way_people_write_them(text, minutes):
    assert parse_duration(text) == pytest.approx(minutes)


@pytest.mark.parametrize("text", ["soon", "5 parsecs", "-3", "", "PT", True, [1]])
def test_unreadable_durations_raise_a_message_with_an_example(text):
    with pytest.raises(DurationError):
        parse_duration(text)


def test_minutes_are_shown_compactly():
    assert format_minutes(150) == "2h 30m"
    assert format_minutes(1560) == "1d 2h"
    assert format_minutes(8) == "8m"
