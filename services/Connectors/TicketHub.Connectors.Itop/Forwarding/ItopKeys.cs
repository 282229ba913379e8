using System.Data.Common;
using System.Globalization;
using Dapper;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>
/// iTop's keys as the connectors' common ledger keeps them: <c>external_id</c> holds the key as text
/// (as <c>TicketForwarded</c> carries it), <c>itop_class</c> beside it the class the ticket was
/// created in (UserRequest or Incident); iTop's calls want both.
/// </summary>
internal static class ItopKeys
{
    private const string SelectClassSql = "SELECT itop_class FROM external_tickets WHERE ticket_id = @TicketId";

    public static string Format(int key) => key.ToString(CultureInfo.InvariantCulture);

    public static int Parse(string externalId) => int.Parse(externalId, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The iTop ticket of <paramref name="ticketId"/>, if the hub created it and did not send the ticket elsewhere since.</summary>
    public static async Task<ItopTicketRef?> HeldTicketAsync(this DeliveryLedger ledger, Guid ticketId, CancellationToken cancellationToken) =>
        (await ledger.FindAsync(ticketId, cancellationToken))?.HeldId is { } externalId
            ? new ItopTicketRef(await ClassOfAsync(UnitOfWork.Connection, UnitOfWork.Current, ticketId, cancellationToken), Parse(externalId))
            : null;

    /// <summary>The class the ticket of <paramref name="ticketId"/> was created in (UserRequest for rows older than the column).</summary>
    public static async Task<string> ClassOfAsync(DbConnection connection, DbTransaction? transaction, Guid ticketId, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(SelectClassSql, new { TicketId = ticketId }, transaction, cancellationToken: cancellationToken))
            ?? ItopClasses.UserRequest;
}
