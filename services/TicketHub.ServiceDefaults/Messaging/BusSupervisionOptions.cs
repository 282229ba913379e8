using System.ComponentModel.DataAnnotations;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// Bound from <c>Messaging:Supervision</c>: how the service watches its own receive endpoints
/// (ADR 12). MassTransit reconnects by itself, waiting up to 30 s between attempts; the supervisor
/// steps in only when an endpoint still does not consume although the broker answers.
/// </summary>
public sealed class BusSupervisionOptions : IValidatableObject
{
    public const string SectionName = "Messaging:Supervision";

    /// <summary>How often the endpoints' states are looked at (and the broker probed while one is down). Default 5 s.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An endpoint that has not consumed for this long while the broker answered all along gets the
    /// bus restarted (then again after as long, as long as it does not consume). Default 45 s, more
    /// than MassTransit's own longest wait between reconnections.
    /// </summary>
    public TimeSpan RestartAfter { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// After this long without consuming while the broker answers, the restarts have not helped:
    /// <c>/health/live</c> fails so that the process supervisor restarts the service. Default 3 min.
    /// </summary>
    public TimeSpan LiveFailAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Longest wait for the broker's port when probing whether it answers. Default 2 s.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(CheckInterval), CheckInterval), (nameof(RestartAfter), RestartAfter), (nameof(LiveFailAfter), LiveFailAfter), (nameof(ProbeTimeout), ProbeTimeout) })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"{SectionName}:{name} must be a positive duration (e.g. 00:00:05).", [name]);
            }
        }

        if (LiveFailAfter <= RestartAfter)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(LiveFailAfter)} ({LiveFailAfter}) must be longer than {SectionName}:{nameof(RestartAfter)} ({RestartAfter}): the bus is restarted in the process before the process itself is.",
                [nameof(LiveFailAfter)]);
        }
    }
}
