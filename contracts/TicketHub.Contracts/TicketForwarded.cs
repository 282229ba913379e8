namespace TicketHub.Contracts;

/// <summary>Published by a connector once the ticket exists in the external tool.</summary>
public sealed record TicketForwarded(
    Guid TicketId,
    string Reference,
    string Tool,
    string ExternalId,
    string? ExternalUrl,
    DateTimeOffset ForwardedAt);
