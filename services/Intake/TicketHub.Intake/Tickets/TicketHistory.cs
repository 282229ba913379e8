using Dapper;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tickets;

/// <summary>The timeline of a ticket: one row per status change or noteworthy event.</summary>
internal static class TicketHistory
{
    private const string InsertHistorySql = "INSERT INTO ticket_history (ticket_id, status, at, note) VALUES (@TicketId, @Status, @At, @Note)";

    public static Task AddAsync(Guid ticketId, string status, DateTimeOffset at, string? note, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(InsertHistorySql, new { TicketId = ticketId, Status = status, At = at, Note = note }, UnitOfWork.Current, cancellationToken: cancellationToken));
}
