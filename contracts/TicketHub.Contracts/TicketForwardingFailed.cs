namespace TicketHub.Contracts;

/// <summary>
/// Published by a connector when the external tool refused the ticket for a reason that retrying
/// will not fix (e.g. a validation error). The ticket becomes <c>failed</c> in the hub.
/// </summary>
public sealed record TicketForwardingFailed(
    Guid TicketId,
    string Reference,
    string Tool,
    string Reason,
    DateTimeOffset FailedAt);
