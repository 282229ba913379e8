namespace TicketHub.Contracts;

/// <summary>A ticket in an external tool.</summary>
public sealed record ExternalTicketRef(string Tool, string Id, string? Url);
