namespace TicketHub.Contracts;

public sealed record Requester(string Name, string Email, string? Phone);
