using TicketHub.Contracts;

namespace TicketHub.Intake.Tickets;

/// <summary>A validated ticket request, ready to be stored.</summary>
public sealed record NewTicket(TicketDetails Details);
