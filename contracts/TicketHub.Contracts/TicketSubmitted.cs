namespace TicketHub.Contracts;

/// <summary>Published by intake once a ticket is stored.</summary>
public sealed record TicketSubmitted(
    Guid TicketId,
    string Reference,
    DateTimeOffset CreatedAt,
    TicketDetails Ticket);
