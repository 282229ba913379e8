namespace TicketHub.Sandbox.Faults;

/// <summary>What happens to one API call.</summary>
internal enum Fault
{
    /// <summary>Answered normally.</summary>
    None,

    /// <summary>The tool is down: 503, nothing done.</summary>
    Down,

    /// <summary>500 before anything is done.</summary>
    Failure,

    /// <summary>The answer is held, then 504; nothing done.</summary>
    Timeout,

    /// <summary>The call is carried out, then its answer is held: the side effect happened, the client never learns it.</summary>
    TimeoutAfterEffect,
}

/// <summary>
/// One tool's faults: the settings in force (configured, then changed by <c>_sandbox/faults</c>),
/// the draws and the counts. Each API call draws two numbers, whatever the settings, so that with a
/// seed the same calls in the same order meet the same faults.
/// </summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly FaultOptions _configured;
    private FaultOptions _current;
    private Random _random;
    private bool _down;
    private FaultCounts _counts;

    /// <param name="section">Configuration section, named in error messages: <c>Sandbox:Glpi:Faults</c>.</param>
    public FaultInjector(string section, FaultOptions configured)
    {
        Section = section;
        _configured = configured.Copy();
        _current = _configured.Copy();
        _random = NewRandom(_current.Seed);
        _counts = new FaultCounts(0, 0, 0, 0, 0);
    }

    public string Section { get; }

    public TimeSpan TimeoutDelay
    {
        get
        {
            lock (_gate)
            {
                return _current.TimeoutDelay;
            }
        }
    }

    /// <summary>Draws the fault of one call and counts it; only a write (<paramref name="isWrite"/>) can time out after its effect.</summary>
    public Fault Next(bool isWrite)
    {
        lock (_gate)
        {
            _counts = _counts with { Calls = _counts.Calls + 1 };
            if (_down)
            {
                _counts = _counts with { RefusedWhileDown = _counts.RefusedWhileDown + 1 };
                return Fault.Down;
            }

            var draw = _random.NextDouble();
            var afterEffect = _random.NextDouble() < _current.TimeoutAfterEffectShare && isWrite;
            if (draw < _current.FailureRate)
            {
                _counts = _counts with { Failures = _counts.Failures + 1 };
                return Fault.Failure;
            }

            if (draw >= _current.FailureRate + _current.TimeoutRate)
            {
                return Fault.None;
            }

            if (afterEffect)
            {
                _counts = _counts with { TimeoutsAfterEffect = _counts.TimeoutsAfterEffect + 1 };
                return Fault.TimeoutAfterEffect;
            }

            _counts = _counts with { TimeoutsWithoutEffect = _counts.TimeoutsWithoutEffect + 1 };
            return Fault.Timeout;
        }
    }

    public FaultState State()
    {
        lock (_gate)
        {
            return new FaultState(
                _current.FailureRate, _current.TimeoutRate, _current.TimeoutAfterEffectShare, _current.TimeoutDelay, _current.Seed, _down, _counts);
        }
    }

    /// <summary>Applies the values given (the others stay); a seed starts the draws again. The problem when they cannot be used.</summary>
    public string? Change(FaultChange change)
    {
        lock (_gate)
        {
            var next = _current.Copy();
            next.FailureRate = change.FailureRate ?? next.FailureRate;
            next.TimeoutRate = change.TimeoutRate ?? next.TimeoutRate;
            next.TimeoutAfterEffectShare = change.TimeoutAfterEffectShare ?? next.TimeoutAfterEffectShare;
            next.TimeoutDelay = change.TimeoutDelay ?? next.TimeoutDelay;
            next.Seed = change.Seed ?? next.Seed;
            if (next.Problem(Section) is { } problem)
            {
                return problem;
            }

            _current = next;
            _down = change.Down ?? _down;
            if (change.Seed is { } seed)
            {
                _random = NewRandom(seed);
            }

            return null;
        }
    }

    /// <summary>Back to the configuration: up, configured rates, draws from the configured seed, counts at zero.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _current = _configured.Copy();
            _random = NewRandom(_current.Seed);
            _down = false;
            _counts = new FaultCounts(0, 0, 0, 0, 0);
        }
    }

    private static Random NewRandom(int? seed) => seed is { } value ? new Random(value) : new Random();
}

/// <summary>A change asked through <c>PUT /{tool}/_sandbox/faults</c>: what is left out stays as it is.</summary>
internal sealed record FaultChange(
    double? FailureRate = null,
    double? TimeoutRate = null,
    double? TimeoutAfterEffectShare = null,
    TimeSpan? TimeoutDelay = null,
    int? Seed = null,
    bool? Down = null);

/// <summary>The settings in force and what was injected since the start (or the last reset).</summary>
internal sealed record FaultState(
    double FailureRate,
    double TimeoutRate,
    double TimeoutAfterEffectShare,
    TimeSpan TimeoutDelay,
    int? Seed,
    bool Down,
    FaultCounts Counts);

/// <param name="Calls">API calls seen, faulty or not.</param>
/// <param name="Failures">Answered 500, nothing done.</param>
/// <param name="TimeoutsWithoutEffect">Held, nothing done.</param>
/// <param name="TimeoutsAfterEffect">Carried out, then held: the side effect happened.</param>
/// <param name="RefusedWhileDown">Answered 503 while down, nothing done.</param>
internal sealed record FaultCounts(long Calls, long Failures, long TimeoutsWithoutEffect, long TimeoutsAfterEffect, long RefusedWhileDown);
