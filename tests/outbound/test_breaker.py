"""The circuit breaker's states: closed, open after repeated failures, half-open for one trial."""

from framework.services.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def breaker(failures=3, cooldown=10.0):
    clock = Clock()
    return CircuitBreaker("billing", failures=failures, cooldown=cooldown, clock=clock), clock


def test_it_opens_after_the_given_failures_in_a_row():
    subject, _ = breaker()
    for _ in range(2):
        assert subject.allow()
        subject.failed()
    assert subject.state == CLOSED

    subject.failed()

    assert subject.state == OPEN
    assert not subject.allow()
    assert subject.retry_after() == 10.0


def test_a_success_resets_the_count():
    subject, _ = breaker()
    subject.failed()
    subject.failed()
    subject.succeeded()
    subject.failed()
    subject.failed()

    assert subject.state == CLOSED


def test_after_the_cooldown_one_trial_goes_through():
    subject, clock = breaker()
    for _ in range(3):
        subject.failed()
    clock.now += 10.0

    assert subject.state == HALF_OPEN
    assert subject.allow()
    assert not subject.allow()  # the others still fail at once, while the trial runs


def test_a_successful_trial_closes_it(caplog):
    subject, clock = breaker()
    for _ in range(3):
        subject.failed()
    clock.now += 10.0
    subject.allow()

    subject.succeeded()

    assert subject.state == CLOSED
    assert subject.allow()
    assert [record.breaker for record in caplog.records] == [OPEN, CLOSED]


def test_a_failed_trial_opens_it_for_another_cooldown():
    subject, clock = breaker()
    for _ in range(3):
        subject.failed()
    clock.now += 10.0
    subject.allow()

    subject.failed()

    assert subject.state == OPEN
    assert subject.retry_after() == 10.0


def test_an_abandoned_trial_lets_the_next_one_through():
    subject, clock = breaker()
    for _ in range(3):
        subject.failed()
    clock.now += 10.0
    subject.allow()

    subject.abandoned()

    assert subject.allow()


def test_zero_failures_turns_it_off():
    subject, _ = breaker(failures=0)
    for _ in range(100):
        subject.failed()

    assert subject.state == CLOSED
    assert subject.allow()
