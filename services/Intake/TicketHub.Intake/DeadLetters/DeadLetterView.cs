namespace TicketHub.Intake.DeadLetters;

/// <summary>States of a dead letter as intake lists it.</summary>
public static class DeadLetterStates
{
    public const string Open = "open";
    public const string Replayed = "replayed";
    public const string Discarded = "discarded";

    /// <summary>Query value meaning "any state".</summary>
    public const string All = "all";
}

/// <summary>What an administrator did to a dead letter (the <c>action</c> of its audit rows).</summary>
public static class DeadLetterActions
{
    public const string Replay = "replay";

    /// <summary>Replayed by <c>POST /api/v1/admin/dead-letters/replay</c>, with the other open ones.</summary>
    public const string ReplayAll = "replay-all";

    public const string Discard = "discard";
}

/// <summary>
/// A message a service gave up on, as that service reported it (<see cref="Contracts.MessageDeadLettered"/>),
/// and what became of it here.
/// </summary>
/// <param name="Id">The dead letter's id in <paramref name="Service"/>'s database.</param>
/// <param name="Resolution">Who replayed or discarded it, when, and why (discarded); null while open.</param>
public sealed record DeadLetterView(
    Guid Id,
    string Service,
    string Queue,
    string MessageType,
    Guid MessageId,
    Guid? TicketId,
    string? Reference,
    string Reason,
    int Attempts,
    DateTimeOffset FirstFailedAt,
    DateTimeOffset LastFailedAt,
    string State,
    DeadLetterResolution? Resolution);

/// <param name="Reason">Why it was discarded; null for a replay.</param>
public sealed record DeadLetterResolution(string By, DateTimeOffset At, string? Reason);


/// <summary>The answer to "replay every open dead letter".</summary>
public sealed record ReplayAllResult(int Replayed);
