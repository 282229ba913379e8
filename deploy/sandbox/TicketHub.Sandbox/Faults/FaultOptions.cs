namespace TicketHub.Sandbox.Faults;

/// <summary>
/// Faults an emulated tool injects into its API, bound from the tool's <c>Faults</c> section
/// (<c>Sandbox:Glpi:Faults:FailureRate</c>, env <c>Sandbox__Glpi__Faults__FailureRate</c>, …).
/// The defaults inject nothing. <c>/{tool}/_sandbox/faults</c> changes them at run time.
/// </summary>
internal sealed class FaultOptions
{
    /// <summary>Share of API calls (0..1) answered 500 before anything is done: never a side effect.</summary>
    public double FailureRate { get; set; }

    /// <summary>Share of API calls (0..1) whose answer is held <see cref="TimeoutDelay"/>, so that the client times out.</summary>
    public double TimeoutRate { get; set; }

    /// <summary>
    /// Share (0..1) of timed-out writes (any method but GET/HEAD) that are carried out before the
    /// answer is held: the ticket is created, only its answer is lost. The other timed-out calls do nothing.
    /// </summary>
    public double TimeoutAfterEffectShare { get; set; } = 0.5;

    /// <summary>How long a timed-out answer is held: longer than the client's timeout.</summary>
    public TimeSpan TimeoutDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Seed of the draws, for a reproducible sequence of faults; none draws differently each run.</summary>
    public int? Seed { get; set; }

    /// <summary>Why these values cannot be used, naming the key under <paramref name="section"/>; null when they can.</summary>
    public string? Problem(string section) =>
        FailureRate is not (>= 0 and <= 1) ? $"{section}:FailureRate must be between 0 and 1."
        : TimeoutRate is not (>= 0 and <= 1) ? $"{section}:TimeoutRate must be between 0 and 1."
        : FailureRate + TimeoutRate > 1 ? $"{section}:FailureRate and {section}:TimeoutRate must add up to 1 at most."
        : TimeoutAfterEffectShare is not (>= 0 and <= 1) ? $"{section}:TimeoutAfterEffectShare must be between 0 and 1."
        : TimeoutDelay <= TimeSpan.Zero ? $"{section}:TimeoutDelay must be positive."
        : null;

    public FaultOptions Copy() => (FaultOptions)MemberwiseClone();
}
